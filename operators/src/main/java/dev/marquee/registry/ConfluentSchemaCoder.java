package dev.marquee.registry;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.flink.formats.avro.SchemaCoder;

/**
 * Flink's {@link SchemaCoder} for the Confluent wire format: byte 0x00, the 4-byte big-endian
 * schema id, then Avro binary. Plugged into flink-avro's Registry(De)SerializationSchema so jobs
 * read and write exactly what Confluent clients, kcat and the SQL client's avro-confluent format
 * expect, with the subject {@code <topic>-value}.
 */
public final class ConfluentSchemaCoder implements SchemaCoder {
    public static final byte MAGIC_BYTE = 0;

    /** One client per config and JVM: its caches are what keeps per-record lookups free. */
    private static final Map<RegistryConfig, SchemaRegistryClient> CLIENTS =
            new ConcurrentHashMap<>();

    private final String subject;
    private final SchemaRegistryClient client;
    private final Map<Schema, Integer> writeIds = new ConcurrentHashMap<>();

    public ConfluentSchemaCoder(String subject, SchemaRegistryClient client) {
        this.subject = subject;
        this.client = client;
    }

    public static SchemaRegistryClient sharedClient(RegistryConfig config) {
        return CLIENTS.computeIfAbsent(config, SchemaRegistryClient::new);
    }

    @Override
    public Schema readSchema(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int magic = data.read();
        if (magic != MAGIC_BYTE) {
            throw new IOException(
                    magic < 0
                            ? "empty record: no Confluent wire-format header"
                            : "not Confluent wire format: first byte is " + magic + ", expected 0");
        }
        int id = data.readInt();
        return client.schemaById(id);
    }

    @Override
    public void writeSchema(Schema schema, OutputStream out) throws IOException {
        int id = writeIds.computeIfAbsent(schema, s -> client.register(subject, s));
        out.write(MAGIC_BYTE);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
    }

    /** Reads the schema id from a wire-format payload without decoding it. */
    public static int schemaId(byte[] payload) {
        if (payload == null || payload.length < 5 || payload[0] != MAGIC_BYTE) {
            throw new IllegalArgumentException("not Confluent wire format");
        }
        return ByteBuffer.wrap(payload, 1, 4).getInt();
    }

    /** Serializable provider, so the coder (and its HTTP client) is built on the task manager. */
    public static final class Provider implements SchemaCoder.SchemaCoderProvider {
        private static final long serialVersionUID = 1L;
        private final String subject;
        private final RegistryConfig config;

        public Provider(String subject, RegistryConfig config) {
            this.subject = subject;
            this.config = config;
        }

        @Override
        public SchemaCoder get() {
            return new ConfluentSchemaCoder(subject, sharedClient(config));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Provider p && p.subject.equals(subject) && p.config.equals(config);
        }

        @Override
        public int hashCode() {
            return subject.hashCode() * 31 + config.hashCode();
        }
    }
}
