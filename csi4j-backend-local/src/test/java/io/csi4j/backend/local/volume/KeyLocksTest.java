package io.csi4j.backend.local.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csi4j.spi.OperationPending;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeyLocksTest {

    private final KeyLocks locks = new KeyLocks();

    @Test
    void aSecondAcquireOfAHeldKeyIsRefusedAtOnce() {
        try (KeyLocks.Held ignored = locks.acquire("name:a", "volume a")) {
            assertThatThrownBy(() -> locks.acquire("name:a", "volume a"))
                    .isInstanceOf(OperationPending.class)
                    .hasMessageContaining("volume a")
                    .hasMessageContaining("already in progress");
        }
    }

    @Test
    void aKeyCanBeTakenAgainOnceReleased() {
        locks.acquire("name:a", "volume a").close();

        try (KeyLocks.Held held = locks.acquire("name:a", "volume a")) {
            assertThat(held).isNotNull();
        }
    }

    @Test
    void differentKeysDoNotBlockEachOther() {
        try (KeyLocks.Held a = locks.acquire("name:a", "volume a");
             KeyLocks.Held b = locks.acquire("name:b", "volume b");
             KeyLocks.Held id = locks.acquire("id:a", "volume a")) {
            assertThat(a).isNotNull();
            assertThat(b).isNotNull();
            assertThat(id).isNotNull();
        }
    }

    @Test
    void aKeyHeldByAnotherThreadIsRefusedWithoutWaiting() throws Exception {
        KeyLocks.Held held = CompletableFuture.supplyAsync(() -> locks.acquire("name:a", "volume a"))
                .get(5, TimeUnit.SECONDS);
        try {
            CompletableFuture<Object> second = CompletableFuture.supplyAsync(() -> locks.acquire("name:a", "volume a"));
            assertThat(second).failsWithin(5, TimeUnit.SECONDS)
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(OperationPending.class);
        } finally {
            held.close();
        }
        locks.acquire("name:a", "volume a").close();
    }
}
