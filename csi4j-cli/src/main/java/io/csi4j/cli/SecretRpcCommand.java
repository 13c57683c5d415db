package io.csi4j.cli;

import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * A CSI call that carries secrets: {@code --secret KEY=VALUE}, repeatable, sent in the request's
 * {@code secrets} map and masked in everything the command prints.
 */
public abstract class SecretRpcCommand<R extends Message> extends RpcCommand<R> {

    @Option(names = "--secret", paramLabel = "KEY=VALUE", converter = KeyValues.Secret.class,
            description = "A secret for the call; repeatable. Never printed.")
    List<KeyValue> secrets = new ArrayList<>();

    /** {@code --secret} as a request's map; a usage error for a key given twice. */
    protected Map<String, String> secrets() {
        return keyValues(secrets, "--secret");
    }

    @Override
    protected Collection<String> secretValues() {
        return KeyValues.values(secrets);
    }
}
