"""The parts of scripts/generate-tensor-references.py: shared encoding (common) and the case
families (elementwise, operations, ordering)."""
