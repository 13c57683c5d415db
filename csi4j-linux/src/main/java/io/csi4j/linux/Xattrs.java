package io.csi4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Extended attributes of a path itself ({@code l*xattr}: a symlink's own, not its target's). As
 * root the list includes trusted.* and security.*, and system.posix_acl_* carry ACLs.
 */
final class Xattrs {

    private Xattrs() {}

    /** The names of the attributes on {@code path}; none where the filesystem has no xattrs. */
    static List<String> list(Path path) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            while (true) {
                long size = LibC.callLong(arena, "llistxattr", path,
                        state -> (long) LibC.LLISTXATTR.invokeExact(state, name, MemorySegment.NULL, 0L));
                if (size == 0) {
                    return List.of();
                }
                MemorySegment buf = arena.allocate(size);
                try {
                    long n = LibC.callLong(arena, "llistxattr", path,
                            state -> (long) LibC.LLISTXATTR.invokeExact(state, name, buf, size));
                    return names(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
                } catch (SyscallException e) {
                    if (e.errno() != SyscallException.ERANGE) { // ERANGE: an attribute was added since the size was asked
                        throw e;
                    }
                }
            }
        } catch (SyscallException e) {
            if (e.errno() == SyscallException.EOPNOTSUPP) {
                return List.of();
            }
            throw e;
        }
    }

    static List<String> names(byte[] list) {
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < list.length; i++) {
            if (list[i] == 0) {
                if (i > start) {
                    names.add(new String(list, start, i - start, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return names;
    }

    /** One attribute's value; ENODATA when it went away meanwhile. */
    static byte[] get(Path path, String attribute) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            MemorySegment key = arena.allocateFrom(attribute);
            while (true) {
                long size = LibC.callLong(arena, "lgetxattr " + attribute, path,
                        state -> (long) LibC.LGETXATTR.invokeExact(state, name, key, MemorySegment.NULL, 0L));
                MemorySegment buf = arena.allocate(Math.max(size, 1));
                try {
                    long n = LibC.callLong(arena, "lgetxattr " + attribute, path,
                            state -> (long) LibC.LGETXATTR.invokeExact(state, name, key, buf, size));
                    return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                } catch (SyscallException e) {
                    if (e.errno() != SyscallException.ERANGE) { // the value grew since its size was asked
                        throw e;
                    }
                }
            }
        }
    }

    /** Sets (creates or replaces) one attribute. */
    static void set(Path path, String attribute, byte[] value) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            MemorySegment key = arena.allocateFrom(attribute);
            MemorySegment data = arena.allocate(Math.max(value.length, 1));
            MemorySegment.copy(value, 0, data, ValueLayout.JAVA_BYTE, 0, value.length);
            LibC.call(arena, "lsetxattr " + attribute, path, state -> (int) LibC.LSETXATTR.invokeExact(state,
                    name, key, data, (long) value.length, 0));
        }
    }
}
