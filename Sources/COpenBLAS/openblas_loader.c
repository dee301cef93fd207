// Placeholder: replaced by the OpenBLAS loader.
