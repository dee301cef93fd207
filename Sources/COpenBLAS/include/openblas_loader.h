// Placeholder: the CPU backend's helper replaces this with the OpenBLAS loader.
#ifndef DEVICESHIM_OPENBLAS_LOADER_H
#define DEVICESHIM_OPENBLAS_LOADER_H
#endif
