// Placeholder: replaced by the OpenCL loader.
