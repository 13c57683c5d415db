package io.csi4j.backend.nfs.libnfs;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Handles to the synchronous functions of libnfs (Debian's libnfs13) that csi4j uses, and no
 * others. libnfs reports failures as {@code -errno} return values plus a per-context message
 * ({@code nfs_get_error}), so unlike libc no errno capture is needed.
 */
@SuppressWarnings("restricted")
final class LibNfs {

    /** The soname of the library the handles are bound to. */
    static final String LIBRARY = "libnfs.so.13";

    private static final ValueLayout INT = ValueLayout.JAVA_INT, LONG = ValueLayout.JAVA_LONG;
    private static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = SymbolLookup.libraryLookup(LIBRARY, Arena.global());

    static final MethodHandle INIT_CONTEXT = handle("nfs_init_context", FunctionDescriptor.of(PTR));
    static final MethodHandle DESTROY_CONTEXT = handle("nfs_destroy_context", FunctionDescriptor.ofVoid(PTR));
    static final MethodHandle GET_ERROR = handle("nfs_get_error",
            FunctionDescriptor.of(PTR.withTargetLayout(java.lang.foreign.MemoryLayout.sequenceLayout(4096, ValueLayout.JAVA_BYTE)), PTR));
    static final MethodHandle SET_TIMEOUT = handle("nfs_set_timeout", FunctionDescriptor.ofVoid(PTR, INT));
    static final MethodHandle SET_VERSION = handle("nfs_set_version", FunctionDescriptor.of(INT, PTR, INT));
    static final MethodHandle UMASK = handle("nfs_umask", FunctionDescriptor.of(ValueLayout.JAVA_SHORT, PTR, ValueLayout.JAVA_SHORT));
    /** {@code struct nfs_url *nfs_parse_url_dir(nfs, url)}: also applies the URL's {@code ?nfsport=&mountport=}. */
    static final MethodHandle PARSE_URL_DIR = handle("nfs_parse_url_dir", FunctionDescriptor.of(PTR, PTR, PTR));
    static final MethodHandle DESTROY_URL = handle("nfs_destroy_url", FunctionDescriptor.ofVoid(PTR));
    static final MethodHandle MOUNT = handle("nfs_mount", FunctionDescriptor.of(INT, PTR, PTR, PTR));
    static final MethodHandle MKDIR2 = handle("nfs_mkdir2", FunctionDescriptor.of(INT, PTR, PTR, INT));
    static final MethodHandle CHMOD = handle("nfs_chmod", FunctionDescriptor.of(INT, PTR, PTR, INT));
    static final MethodHandle RENAME = handle("nfs_rename", FunctionDescriptor.of(INT, PTR, PTR, PTR));
    static final MethodHandle RMDIR = handle("nfs_rmdir", FunctionDescriptor.of(INT, PTR, PTR));
    static final MethodHandle UNLINK = handle("nfs_unlink", FunctionDescriptor.of(INT, PTR, PTR));
    static final MethodHandle LSTAT64 = handle("nfs_lstat64", FunctionDescriptor.of(INT, PTR, PTR, PTR));
    static final MethodHandle STATVFS64 = handle("nfs_statvfs64", FunctionDescriptor.of(INT, PTR, PTR, PTR));
    static final MethodHandle OPENDIR = handle("nfs_opendir", FunctionDescriptor.of(INT, PTR, PTR, PTR));
    static final MethodHandle READDIR = handle("nfs_readdir", FunctionDescriptor.of(PTR, PTR, PTR));
    static final MethodHandle CLOSEDIR = handle("nfs_closedir", FunctionDescriptor.ofVoid(PTR, PTR));
    static final MethodHandle OPEN2 = handle("nfs_open2", FunctionDescriptor.of(INT, PTR, PTR, INT, INT, PTR));
    static final MethodHandle READ = handle("nfs_read", FunctionDescriptor.of(INT, PTR, PTR, LONG, PTR));
    static final MethodHandle WRITE = handle("nfs_write", FunctionDescriptor.of(INT, PTR, PTR, LONG, PTR));
    static final MethodHandle CLOSE = handle("nfs_close", FunctionDescriptor.of(INT, PTR, PTR));
    static final MethodHandle READLINK2 = handle("nfs_readlink2", FunctionDescriptor.of(INT, PTR, PTR, PTR));
    static final MethodHandle SYMLINK = handle("nfs_symlink", FunctionDescriptor.of(INT, PTR, PTR, PTR));
    /** libc's free(3), for the buffer nfs_readlink2 allocates. */
    static final MethodHandle FREE = LINKER.downcallHandle(LINKER.defaultLookup().find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(PTR));

    // struct nfs_stat_64: seventeen uint64_t fields.
    static final long STAT_SIZE = 17 * 8, STAT_MODE = 16, STAT_UID = 32, STAT_GID = 40, STAT_SIZE_FIELD = 56;
    // struct nfs_statvfs_64: eleven uint64_t fields.
    static final long STATVFS_SIZE = 11 * 8, VFS_FRSIZE = 8, VFS_BLOCKS = 16, VFS_BFREE = 24, VFS_BAVAIL = 32,
            VFS_FILES = 40, VFS_FFREE = 48;
    // struct nfsdirent: next, name, inode, then type and mode (uint32_t each).
    static final long DIRENT_NAME = 8, DIRENT_TYPE = 24;
    // struct nfs_url: server, path, file.
    static final long URL_SERVER = 0, URL_PATH = 8;

    private LibNfs() {}

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError(LIBRARY + " has no " + name));
        return LINKER.downcallHandle(symbol, descriptor);
    }
}
