package io.csi4j.server.logging;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import csi.v1.Csi;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes messages safe to log. Which fields are secret is read from the protocol itself: every
 * field whose options carry the {@code csi_secret} extension, at any depth. Secret maps keep
 * their keys (they name what was passed) and lose their values.
 */
public final class SecretRedactor {

    public static final String REDACTED = "***redacted***";

    /** Per message type: whether a secret field can be reached from it. */
    private static final Map<Descriptor, Boolean> HOLDS_SECRETS = new ConcurrentHashMap<>();

    private SecretRedactor() {}

    /** Whether the protocol marks this field as secret. */
    public static boolean isSecret(FieldDescriptor field) {
        return field.getOptions().getExtension(Csi.csiSecret);
    }

    /** One line of text format, secrets redacted. */
    public static String format(Message message) {
        return TextFormat.printer().emittingSingleLine(true).printToString(redact(message));
    }

    /** A copy of {@code message} with every secret value replaced; the message itself if it has none. */
    @SuppressWarnings("unchecked")
    public static <M extends Message> M redact(M message) {
        if (!holdsSecrets(message.getDescriptorForType())) {
            return message;
        }
        Message.Builder builder = message.toBuilder();
        for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
            FieldDescriptor field = entry.getKey();
            if (isSecret(field)) {
                redactField(builder, field, entry.getValue());
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                    && holdsSecrets(field.getMessageType())) {
                builder.clearField(field);
                if (field.isRepeated()) {
                    for (Object item : (List<?>) entry.getValue()) {
                        builder.addRepeatedField(field, redact((Message) item));
                    }
                } else {
                    builder.setField(field, redact((Message) entry.getValue()));
                }
            }
        }
        return (M) builder.build();
    }

    private static void redactField(Message.Builder builder, FieldDescriptor field, Object value) {
        builder.clearField(field);
        if (field.isMapField()) {
            FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
            for (Object item : (List<?>) value) {
                Message entry = (Message) item;
                builder.addRepeatedField(field, entry.toBuilder().setField(valueField, masked(valueField)).build());
            }
        } else if (field.getJavaType() == FieldDescriptor.JavaType.STRING) {
            if (field.isRepeated()) {
                for (Object ignored : (List<?>) value) {
                    builder.addRepeatedField(field, REDACTED);
                }
            } else {
                builder.setField(field, REDACTED);
            }
        }
        // any other secret type is simply left out
    }

    private static Object masked(FieldDescriptor valueField) {
        return valueField.getJavaType() == FieldDescriptor.JavaType.STRING
                ? REDACTED
                : valueField.getDefaultValue();
    }

    static boolean holdsSecrets(Descriptor type) {
        Boolean known = HOLDS_SECRETS.get(type);
        if (known != null) {
            return known;
        }
        boolean found = search(type, new java.util.HashSet<>());
        HOLDS_SECRETS.put(type, found);
        return found;
    }

    private static boolean search(Descriptor type, java.util.Set<Descriptor> seen) {
        if (!seen.add(type)) {
            return false; // a recursive type already being looked at
        }
        for (FieldDescriptor field : type.getFields()) {
            if (isSecret(field)) {
                return true;
            }
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && search(field.getMessageType(), seen)) {
                return true;
            }
        }
        return false;
    }
}
