# Sourced, with $root set to the repository, by the scripts and preload/deviceshim-run: names
# the Intel oneMKL that scripts/setup.sh unpacks, for the CPU backend's GEMM (Sources/CBLAS),
# unless DEVICESHIM_MKL_LIBRARY already names one or setup has not unpacked it.
mkl_library="$root/third_party/mkl/lib/libmkl_rt.so.2"
[ -n "${DEVICESHIM_MKL_LIBRARY:-}" ] || [ ! -f "$mkl_library" ] || export DEVICESHIM_MKL_LIBRARY="$mkl_library"
