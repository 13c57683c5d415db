package io.csi4j.backend.nfs.controller;

import io.csi4j.backend.nfs.volume.NfsVolumeId;
import io.csi4j.backend.nfs.volume.OnDelete;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * "Subdirectory S belongs to volume N": a symlink at {@code .csi4j/claims/<sha256(S)>} on the
 * share whose target holds this record. Making a symlink is atomic and fails when one exists,
 * so two creates racing for one subdirectory cannot both win, and it needs no file I/O.
 *
 * @param capacityBytes what the volume was asked to hold (reported, never enforced)
 */
record Claim(String name, String subDir, OnDelete onDelete, long capacityBytes) {

    static final String DIR = ".csi4j/claims";

    /** Where the claim on {@code subDir} lives on the share. */
    static String path(String subDir) {
        return DIR + "/" + file(subDir);
    }

    static String file(String subDir) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(subDir.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String nameHash() {
        return NfsVolumeId.nameHash(name);
    }

    String encode() {
        return "v1;name=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + ";subdir=" + subDir
                + ";ondelete=" + onDelete.text() + ";bytes=" + capacityBytes;
    }

    /** The claim a symlink target holds; empty for anything else (a foreign or damaged entry). */
    static Optional<Claim> decode(String text) {
        String[] parts = text.split(";");
        if (parts.length == 0 || !parts[0].equals("v1")) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                fields.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            }
        }
        try {
            return Optional.of(new Claim(URLDecoder.decode(fields.get("name"), StandardCharsets.UTF_8),
                    fields.get("subdir"), OnDelete.parse(fields.get("ondelete")), Long.parseLong(fields.get("bytes"))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
