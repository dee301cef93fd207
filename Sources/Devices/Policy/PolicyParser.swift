/// Reads policy text: rules separated by `;` or new lines, `#` comments to the end of a line.
///
/// ```
/// policy := rule ((';' | newline) rule)*
/// rule   := request '=' target (',' target)*
/// request:= ('cuda' | 'mps' | 'cpu' | 'opencl' | 'vulkan' | 'gpu') [':' index]
/// target := ('cpu' | 'opencl' | 'vulkan') [':' index] | 'gpu'
/// ```
/// Names are case-insensitive; spaces and tabs may stand between tokens.
struct PolicyParser {
    private let characters: [Character]
    private let source: String
    private var position = 0

    init(_ text: String, source: String) {
        characters = Array(text)
        self.source = source
    }

    mutating func parsePolicy() throws(PolicyError) -> [(request: DeviceRequest, targets: [PolicyTarget])] {
        var rules: [(request: DeviceRequest, targets: [PolicyTarget])] = []
        while true {
            skipSeparators()
            guard position < characters.count else { return rules }
            let start = position
            let request = try parseRequest()
            if rules.contains(where: { $0.request == request }) {
                position = start
                throw error(expected: "each request once", found: "a second rule for \(request)")
            }
            skipSpaces()
            try expect("=", what: "'=' after \(request)")
            var targets = [try parseTarget()]
            skipSpaces()
            while peek(",") {
                position += 1
                targets.append(try parseTarget())
                skipSpaces()
            }
            rules.append((request, targets))
            guard position == characters.count || peek(";") || peek("\n") || peek("#") else {
                throw error(expected: "',' and another target, or ';' before the next rule", found: describeHere())
            }
        }
    }

    mutating func parseWholeRequest() throws(PolicyError) -> DeviceRequest {
        skipSpaces()
        let request = try parseRequest()
        skipSpaces()
        guard position == characters.count else { throw error(expected: "the end of the request", found: describeHere()) }
        return request
    }

    private mutating func parseRequest() throws(PolicyError) -> DeviceRequest {
        let kinds = DeviceRequest.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        let start = position
        let word = readWord()
        guard let kind = DeviceRequest.Kind(rawValue: word) else {
            position = start
            throw error(expected: "a device request (\(kinds))", found: describeHere())
        }
        return DeviceRequest(kind, index: try parseIndex())
    }

    private mutating func parseTarget() throws(PolicyError) -> PolicyTarget {
        skipSpaces()
        let start = position
        let word = readWord()
        if word == "gpu" { return .gpu }
        guard let backend = BackendKind(rawValue: word) else {
            position = start
            throw error(expected: "a target (cpu, opencl[:N], vulkan[:N], gpu)", found: describeHere())
        }
        return .backend(backend, index: try parseIndex())
    }

    private mutating func parseIndex() throws(PolicyError) -> Int? {
        guard peek(":") else { return nil }
        position += 1
        let start = position
        while position < characters.count, characters[position].isASCII, characters[position].isNumber { position += 1 }
        guard position > start, let index = Int(String(characters[start..<position])), index <= 1 << 20 else {
            position = start
            throw error(expected: "a device index (0, 1, …) after ':'", found: describeHere())
        }
        return index
    }

    private mutating func readWord() -> String {
        let start = position
        while position < characters.count, characters[position].isLetter { position += 1 }
        return String(characters[start..<position]).lowercased()
    }

    private mutating func expect(_ character: Character, what: String) throws(PolicyError) {
        guard peek(character) else { throw error(expected: what, found: describeHere()) }
        position += 1
    }

    private func peek(_ character: Character) -> Bool {
        position < characters.count && characters[position] == character
    }

    private mutating func skipSpaces() {
        while position < characters.count, characters[position] == " " || characters[position] == "\t" { position += 1 }
    }

    /// Skips spaces, rule separators, blank lines and comments.
    private mutating func skipSeparators() {
        while position < characters.count {
            let character = characters[position]
            if character == "#" {
                while position < characters.count, characters[position] != "\n" { position += 1 }
            } else if character == " " || character == "\t" || character == ";" || character.isNewline {
                position += 1
            } else {
                return
            }
        }
    }

    /// What stands at the current position, for messages: a quoted word or punctuation
    /// mark (`"vulkn"`, `","`), `the end of the line` or `the end`.
    private func describeHere() -> String {
        guard position < characters.count else { return "the end" }
        if characters[position].isNewline { return "the end of the line" }
        let punctuation: Set<Character> = [";", ",", "=", ":", "#"]
        var end = position + 1
        if !punctuation.contains(characters[position]) {
            while end < characters.count, end - position < 12, !characters[end].isWhitespace, !punctuation.contains(characters[end]) {
                end += 1
            }
        }
        return "\"" + String(characters[position..<end]) + "\""
    }

    private func error(expected: String, found: String) -> PolicyError {
        var line = 1, column = 1
        for character in characters[..<min(position, characters.count)] {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return PolicyError(source: source, line: line, column: column, expected: expected, found: found)
    }
}
