package dev.marquee.stack;

import dev.marquee.cli.MarqueeHome;
import java.nio.file.Path;
import java.util.List;

/** The stack's schema registry: {@link RegistryServer}'s command, detached, on port 8085. */
final class RegistryComponent extends Component {
    static final int PORT = 8085;

    private final MarqueeHome home;

    RegistryComponent(StackLayout layout, MarqueeHome home) {
        super(layout);
        this.home = home;
    }

    @Override
    String name() {
        return "registry";
    }

    @Override
    List<Integer> ports() {
        return List.of(PORT);
    }

    @Override
    String address() {
        return RegistryServer.baseUrl(PORT);
    }

    @Override
    void preflight() {
        JavaRuntime.atLeast(RegistryServer.JAVA_FEATURE, "Apicurio Registry 3.3.3");
        RegistryServer.checkDistribution(home);
    }

    @Override
    List<String> command() {
        Path java = JavaRuntime.atLeast(RegistryServer.JAVA_FEATURE, "Apicurio Registry 3.3.3");
        RegistryServer.checkDistribution(home);
        return RegistryServer.command(java, home, layout.registry(), PORT, logFile(), marker());
    }

    @Override
    Path workDir() {
        return layout.registry();
    }

    @Override
    boolean answers() {
        return RegistryServer.answers(address());
    }
}
