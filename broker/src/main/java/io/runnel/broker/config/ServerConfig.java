package io.runnel.broker.config;

import io.runnel.log.CleanupPolicy;
import io.runnel.log.LogConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A server's configuration: a Kafka-style properties file plus {@code --override key=value} pairs, parsed against
 * {@link ServerConfigKeys}. Immutable. Unknown keys are kept and reported by {@link #warnings()}; a malformed value or
 * an inconsistent combination throws {@link ServerConfigException} naming the key.
 */
public final class ServerConfig {
    private final Map<String, String> raw;
    private final Map<String, Object> parsed;
    private final List<String> warnings;

    private ServerConfig(Map<String, String> raw) {
        this.raw = Collections.unmodifiableMap(new LinkedHashMap<>(raw));
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (ConfigKey key : ServerConfigKeys.all().values()) {
            String text = raw.containsKey(key.name()) ? raw.get(key.name()) : key.defaultValue();
            if (text != null && !(text.isBlank() && key.defaultValue() == null)) {
                values.put(key.name(), key.type().parse(key.name(), text));
            }
        }
        for (String name : raw.keySet()) {
            ConfigKey key = ServerConfigKeys.all().get(name);
            if (key == null) {
                notes.add("unknown configuration '" + name + "' is ignored");
            }
        }
        this.parsed = Collections.unmodifiableMap(values);
        this.warnings = List.copyOf(notes);
        ServerConfigChecks.check(this);
    }

    /**
     * Reads {@code file} and applies {@code overrides} ({@code key=value} each, later ones winning).
     *
     * @throws ServerConfigException when the file is missing or unreadable, an override is not {@code key=value},
     *                               or a value is malformed or inconsistent
     */
    public static ServerConfig load(Path file, List<String> overrides) {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            props.load(r);
        } catch (NoSuchFileException e) {
            throw new ServerConfigException("Configuration file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new ServerConfigException("Cannot read configuration file " + file + ": " + e.getMessage());
        }
        Map<String, String> map = new LinkedHashMap<>();
        props.stringPropertyNames().stream().sorted().forEach(k -> map.put(k.trim(), props.getProperty(k)));
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new ServerConfigException("Invalid --override '" + o + "': expected key=value");
            }
            map.put(o.substring(0, eq).trim(), o.substring(eq + 1));
        }
        return new ServerConfig(map);
    }

    /** Parses an in-memory map of keys to values (tests, embedded use). */
    public static ServerConfig of(Map<String, String> values) {
        return new ServerConfig(values);
    }

    /** Keys and values exactly as given (file plus overrides). */
    public Map<String, String> originals() {
        return raw;
    }

    /**
     * Every known key that has a value, configured or default, as text (lists comma-joined): what DescribeConfigs
     * reports for this broker.
     */
    public Map<String, String> effectiveValues() {
        Map<String, String> out = new java.util.TreeMap<>();
        parsed.forEach((k, v) -> out.put(k, v instanceof List<?> l
                ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(v)));
        return Collections.unmodifiableMap(out);
    }

    /** One line per unknown key. */
    public List<String> warnings() {
        return warnings;
    }

    /** The typed value of a known key, or null when it has no value and no default. */
    public Object get(String key) {
        if (!ServerConfigKeys.all().containsKey(key)) {
            throw new IllegalArgumentException("not a known configuration key: " + key);
        }
        return parsed.get(key);
    }

    public int getInt(String key) {
        return (Integer) get(key);
    }

    public long getLong(String key) {
        return (Long) get(key);
    }

    public double getDouble(String key) {
        return (Double) get(key);
    }

    public boolean getBoolean(String key) {
        return (Boolean) get(key);
    }

    public String getString(String key) {
        return (String) get(key);
    }

    @SuppressWarnings("unchecked")
    public List<String> getList(String key) {
        Object v = get(key);
        return v == null ? List.of() : (List<String>) v;
    }

    /** {@code node.id}. */
    public int nodeId() {
        return getInt("node.id");
    }

    /**
     * {@code broker.rack} (KIP-36): the rack, availability zone or other failure domain this broker registers with,
     * so the controller spreads each partition's replicas over racks; empty when unset or blank.
     */
    public Optional<String> rack() {
        String rack = getString("broker.rack");
        return rack == null || rack.isBlank() ? Optional.empty() : Optional.of(rack.trim());
    }

    /** True when {@code process.roles} holds {@code broker}. */
    public boolean isBroker() {
        return getList("process.roles").contains("broker");
    }

    /** True when {@code process.roles} holds {@code controller}. */
    public boolean isController() {
        return getList("process.roles").contains("controller");
    }

    /** {@code listeners}, parsed. */
    public List<Endpoint> listeners() {
        return getList("listeners").stream().map(t -> Endpoint.parse("listeners", t)).toList();
    }

    /** The listeners clients connect to: every listener not named in {@code controller.listener.names}. */
    public List<Endpoint> brokerListeners() {
        List<String> controllerNames = getList("controller.listener.names");
        return listeners().stream().filter(e -> !controllerNames.contains(e.listenerName())).toList();
    }

    /** {@code advertised.listeners}, defaulting to {@link #brokerListeners()}. */
    public List<Endpoint> advertisedListeners() {
        List<String> adv = getList("advertised.listeners");
        return adv.isEmpty() ? brokerListeners()
                : adv.stream().map(t -> Endpoint.parse("advertised.listeners", t)).toList();
    }

    /** {@code log.dirs}, else {@code log.dir}. */
    public List<Path> logDirs() {
        List<String> dirs = getList("log.dirs");
        return (dirs.isEmpty() ? List.of(getString("log.dir")) : dirs).stream().map(Path::of).toList();
    }

    /** {@code metadata.log.dir}, else the first log directory. */
    public Path metadataLogDir() {
        String dir = getString("metadata.log.dir");
        return dir == null ? logDirs().get(0) : Path.of(dir);
    }

    /**
     * The topic-level log defaults derived from the broker's {@code log.*} keys, as Kafka derives them:
     * {@code log.retention.ms} over {@code .minutes} over {@code .hours}; {@code log.roll.ms} over {@code .hours};
     * a negative {@code log.retention.bytes} is -1 (no size limit, as Kafka treats any negative value);
     * {@code log.cleanup.policy} and the {@code log.cleaner.*} topic defaults (min cleanable ratio, compaction lags,
     * tombstone retention).
     *
     * @throws IllegalArgumentException naming the topic key of an out-of-range value
     */
    public LogConfig logConfig() {
        long retentionMs = get("log.retention.ms") != null ? getLong("log.retention.ms")
                : get("log.retention.minutes") != null ? getInt("log.retention.minutes") * 60_000L
                : getInt("log.retention.hours") * 3_600_000L;
        long rollMs = get("log.roll.ms") != null ? getLong("log.roll.ms") : getInt("log.roll.hours") * 3_600_000L;
        Long flushMs = (Long) get("log.flush.interval.ms");
        return new LogConfig(getInt("log.segment.bytes"), rollMs, getInt("log.index.size.max.bytes"),
                getInt("log.index.interval.bytes"), retentionMs, Math.max(-1L, getLong("log.retention.bytes")),
                getInt("message.max.bytes"), getLong("log.flush.interval.messages"),
                flushMs == null ? Long.MAX_VALUE : flushMs, getLong("log.segment.delete.delay.ms"),
                CleanupPolicy.parse(String.join(",", getList("log.cleanup.policy"))),
                getDouble("log.cleaner.min.cleanable.ratio"), getLong("log.cleaner.min.compaction.lag.ms"),
                getLong("log.cleaner.max.compaction.lag.ms"), getLong("log.cleaner.delete.retention.ms"));
    }

    /** {@code log.cleaner.enable}: whether the log cleaner runs (Kafka default true). */
    public boolean logCleanerEnable() {
        return getBoolean("log.cleaner.enable");
    }

    /** {@code log.cleaner.threads}: cleaner threads, at least 1 (default 1). */
    public int logCleanerThreads() {
        return getInt("log.cleaner.threads");
    }

    /**
     * {@code log.cleaner.dedupe.buffer.size}: bytes of key-to-offset map shared by all cleaner threads, more than
     * 1 MiB per thread (default 134217728).
     */
    public long logCleanerDedupeBufferSize() {
        return getLong("log.cleaner.dedupe.buffer.size");
    }

    /** {@code log.cleaner.io.buffer.size}: bytes of read and write buffers shared by all cleaner threads (524288). */
    public int logCleanerIoBufferSize() {
        return getInt("log.cleaner.io.buffer.size");
    }

    /** {@code log.cleaner.io.buffer.load.factor}: how full a key-to-offset map may get, in (0, 1] (default 0.9). */
    public double logCleanerIoBufferLoadFactor() {
        return getDouble("log.cleaner.io.buffer.load.factor");
    }

    /**
     * {@code log.cleaner.io.max.bytes.per.second}: the cleaners' reads plus writes are throttled to this, bytes per
     * second, above 0 (default Double.MAX_VALUE: no throttle).
     */
    public double logCleanerIoMaxBytesPerSecond() {
        return getDouble("log.cleaner.io.max.bytes.per.second");
    }

    /** {@code log.cleaner.backoff.ms}: how long a cleaner sleeps when no log needs cleaning, ms (default 15000). */
    public long logCleanerBackoffMs() {
        return getLong("log.cleaner.backoff.ms");
    }
}
