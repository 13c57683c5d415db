package io.csi4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** KeyValues: KEY=VALUE and topology parsing, maps, and secrets kept out of messages. */
class KeyValuesTest {

    @Test
    void splitsAtTheFirstEquals() {
        assertThat(KeyValues.parse("opts=a=b,c", false)).isEqualTo(new KeyValue("opts", "a=b,c", false));
    }

    @Test
    void allowsAnEmptyValue() {
        assertThat(KeyValues.parse("flag=", false)).isEqualTo(new KeyValue("flag", "", false));
    }

    @Test
    void rejectsAMissingEqualsOrKey() {
        assertThatThrownBy(() -> KeyValues.parse("novalue", false)).hasMessage("'novalue' is not KEY=VALUE");
        assertThatThrownBy(() -> KeyValues.parse("=v", false)).hasMessage("'=v' is not KEY=VALUE: the key is empty");
    }

    @Test
    void secretErrorsNeverRepeatTheArgument() {
        assertThatThrownBy(() -> KeyValues.parse("hunter2", true)).hasMessage("expected KEY=VALUE");
        assertThatThrownBy(() -> KeyValues.parse("=hunter2", true)).hasMessage("expected KEY=VALUE with a non-empty key");
        assertThatThrownBy(() -> new KeyValues.Secret().convert("hunter2"))
                .isInstanceOf(TypeConversionException.class).message().doesNotContain("hunter2");
    }

    @Test
    void aSecretHidesItsValueInToString() {
        assertThat(new KeyValue("password", "hunter2", true)).hasToString("password=***");
        assertThat(new KeyValue("type", "fast", false)).hasToString("type=fast");
    }

    @Test
    void toMapKeepsArgumentOrderAndRejectsAKeyGivenTwice() {
        List<KeyValue> pairs = List.of(KeyValues.parse("b=2", false), KeyValues.parse("a=1", false));
        assertThat(KeyValues.toMap(pairs, "--param")).containsExactly(Map.entry("b", "2"), Map.entry("a", "1"));

        List<KeyValue> twice = List.of(KeyValues.parse("a=1", true), KeyValues.parse("a=hunter2", true));
        assertThatThrownBy(() -> KeyValues.toMap(twice, "--secret"))
                .hasMessage("--secret: key 'a' given twice").message().doesNotContain("hunter2");
    }

    @Test
    void parsesATopology() {
        assertThat(KeyValues.topology("zone=a,rack=r1").getSegmentsMap())
                .containsExactly(Map.entry("zone", "a"), Map.entry("rack", "r1"));
        assertThat(KeyValues.topology("zone=a").getSegmentsMap()).containsExactly(Map.entry("zone", "a"));
    }

    @Test
    void rejectsBadTopologies() {
        assertThatThrownBy(() -> KeyValues.topology("zone=a,")).hasMessage("'' is not KEY=VALUE");
        assertThatThrownBy(() -> KeyValues.topology("zone")).hasMessage("'zone' is not KEY=VALUE");
        assertThatThrownBy(() -> KeyValues.topology("zone=a,zone=b")).hasMessage("'zone=a,zone=b' names segment 'zone' twice");
        assertThatThrownBy(() -> new KeyValues.TopologyConverter().convert("x")).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void valuesListsTheValues() {
        assertThat(KeyValues.values(List.of(new KeyValue("a", "1", true), new KeyValue("b", "2", true))))
                .containsExactly("1", "2");
    }
}
