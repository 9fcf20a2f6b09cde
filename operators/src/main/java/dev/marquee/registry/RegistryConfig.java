package dev.marquee.registry;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How to reach a Confluent-compatible schema registry: one or more base URLs (tried in order, as
 * Confluent clients do), optional basic auth, an optional trust store for TLS, and timeouts short
 * enough that an unreachable registry is reported in seconds instead of hanging.
 *
 * <p>Serializable because Flink ships it inside serialization schemas to the task managers.
 */
public final class RegistryConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<String> urls;
    private final String basicAuthUserInfo;
    private final String trustStorePath;
    private final String trustStorePassword;
    private final long timeoutMillis;

    private RegistryConfig(
            List<String> urls,
            String basicAuthUserInfo,
            String trustStorePath,
            String trustStorePassword,
            long timeoutMillis) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("a schema registry URL is required");
        }
        for (String url : urls) {
            URI uri = URI.create(url);
            if (uri.getScheme() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException(
                        "schema registry URL must be http(s)://host:port/...: " + url);
            }
        }
        this.urls = List.copyOf(urls);
        this.basicAuthUserInfo = basicAuthUserInfo;
        this.trustStorePath = trustStorePath;
        this.trustStorePassword = trustStorePassword;
        this.timeoutMillis = timeoutMillis;
    }

    /** A comma-separated URL list, as `schema.registry.url` takes it. */
    public static RegistryConfig of(String commaSeparatedUrls) {
        return builder(commaSeparatedUrls).build();
    }

    public static Builder builder(String commaSeparatedUrls) {
        Objects.requireNonNull(commaSeparatedUrls, "schema registry URL");
        return new Builder(
                Arrays.stream(commaSeparatedUrls.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s)
                        .toList());
    }

    public List<String> urls() {
        return urls;
    }

    /** {@code user:password} for HTTP basic auth, or null. */
    public String basicAuthUserInfo() {
        return basicAuthUserInfo;
    }

    public String trustStorePath() {
        return trustStorePath;
    }

    public String trustStorePassword() {
        return trustStorePassword;
    }

    public Duration timeout() {
        return Duration.ofMillis(timeoutMillis);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegistryConfig other
                && urls.equals(other.urls)
                && Objects.equals(basicAuthUserInfo, other.basicAuthUserInfo)
                && Objects.equals(trustStorePath, other.trustStorePath)
                && timeoutMillis == other.timeoutMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(urls, basicAuthUserInfo, trustStorePath, timeoutMillis);
    }

    @Override
    public String toString() {
        return String.join(",", urls) + (basicAuthUserInfo != null ? " (basic auth)" : "");
    }

    /** Builder for production settings. */
    public static final class Builder {
        private final List<String> urls;
        private String basicAuthUserInfo;
        private String trustStorePath;
        private String trustStorePassword;
        private long timeoutMillis = 5_000;

        private Builder(List<String> urls) {
            this.urls = urls;
        }

        public Builder basicAuth(String userInfo) {
            this.basicAuthUserInfo = userInfo == null || userInfo.isBlank() ? null : userInfo;
            return this;
        }

        public Builder trustStore(String path, String password) {
            this.trustStorePath = path;
            this.trustStorePassword = password;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeoutMillis = timeout.toMillis();
            return this;
        }

        public RegistryConfig build() {
            return new RegistryConfig(
                    urls, basicAuthUserInfo, trustStorePath, trustStorePassword, timeoutMillis);
        }
    }
}
