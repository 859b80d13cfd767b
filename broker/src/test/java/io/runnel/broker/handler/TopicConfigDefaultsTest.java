package io.runnel.broker.handler;

import io.runnel.broker.config.LogConfigSynonyms;
import io.runnel.metadata.controller.TopicConfigs;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The topic-config default table against the controller's key set and the lead's synonym table. */
class TopicConfigDefaultsTest {
    @Test
    void coversExactlyTheTopicConfigKeysAndEveryDefaultPassesItsKeysCheck() {
        assertEquals(TopicConfigs.KEYS.keySet(), TopicConfigDefaults.BY_TOPIC_KEY.keySet());
        TopicConfigDefaults.BY_TOPIC_KEY.values().forEach(d -> assertNull(
                TopicConfigs.KEYS.get(d.topicKey()).invalidReason(d.kafkaDefault()), d.topicKey()));
    }

    @Test
    void theFirstBrokerSynonymAgreesWithLogConfigSynonyms() {
        for (Map.Entry<String, String> e : LogConfigSynonyms.all().entrySet()) {
            assertEquals(e.getValue(), TopicConfigDefaults.BY_TOPIC_KEY.get(e.getKey()).synonyms().get(0).brokerKey(),
                    e.getKey());
        }
    }

    @Property
    void hoursAndMinutesBecomeMillisecondsAndNegativeMeansForever(@ForAll @IntRange(min = -5, max = 1_000_000) int n) {
        String hours = TopicConfigDefaults.convert(Integer.toString(n), 3_600_000L);
        assertEquals(n < 0 ? "-1" : Long.toString(n * 3_600_000L), hours);
        assertEquals(Integer.toString(n), TopicConfigDefaults.convert(Integer.toString(n), 1));
    }
}
