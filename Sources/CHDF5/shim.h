// HDF5's C library, serial build (Debian: libhdf5-dev, pkg-config: hdf5). Its type and flag constants are macros
// that call H5open(), which Swift cannot import; the inline functions below hand them over.
#include <hdf5.h>

static inline hid_t ush5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t ush5_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t ush5_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t ush5_native_uint16(void) { return H5T_NATIVE_UINT16; }
static inline hid_t ush5_ieee_f32le(void) { return H5T_IEEE_F32LE; }
static inline hid_t ush5_ieee_f64le(void) { return H5T_IEEE_F64LE; }
static inline hid_t ush5_std_i32le(void) { return H5T_STD_I32LE; }
static inline hid_t ush5_std_u16le(void) { return H5T_STD_U16LE; }
static inline hid_t ush5_c_s1(void) { return H5T_C_S1; }
static inline unsigned ush5_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned ush5_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline size_t ush5_variable(void) { return H5T_VARIABLE; }
/// Stops the library printing its error stack to stderr: failures come back as negative return values and are
/// reported with the HDF5 path at fault instead.
static inline void ush5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
/// A file-access property list for a file held in memory only (the core driver without a backing store, growing
/// in 1 MiB steps): written files are handed over as one byte image, so the library never writes to disk itself.
static inline hid_t ush5_memory_fapl(void) {
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  if (fapl >= 0 && H5Pset_fapl_core(fapl, 1 << 20, 0) < 0) {
    H5Pclose(fapl);
    return -1;
  }
  return fapl;
}
/// A creation property list for groups, datasets or the file (`kind`: 0, 1, 2) that records no modification times
/// in the object headers, so the same data give the same bytes on every run.
static inline hid_t ush5_untimed_plist(int kind) {
  hid_t cls = kind == 0 ? H5P_GROUP_CREATE : kind == 1 ? H5P_DATASET_CREATE : H5P_FILE_CREATE;
  hid_t plist = H5Pcreate(cls);
  if (plist >= 0 && H5Pset_obj_track_times(plist, 0) < 0) {
    H5Pclose(plist);
    return -1;
  }
  return plist;
}
