package io.csi4j.driver;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module graph, enforced: the SPI depends on nothing of ours, backends never see gRPC or the
 * protocol, the server knows no backend, the CLI knows only the protocol, the benchmark tool
 * only the protocol and the CLI, and only the driver
 * wires things together. The driver's test class path holds every module, so this is the one
 * place that sees them all.
 */
class ArchitectureTest {

    private static JavaClasses csi4j;

    @BeforeAll
    static void importClasses() {
        csi4j = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.csi4j");
    }

    @Test
    void everyModuleIsImported() {
        // A rule over packages with no classes passes vacuously: make sure each one is there.
        for (String pkg : new String[] {"io.csi4j.spi", "io.csi4j.linux", "io.csi4j.server", "io.csi4j.backend.local",
                "io.csi4j.backend.local.volume", "io.csi4j.backend.local.store", "io.csi4j.backend.local.provision",
                "io.csi4j.backend.local.snapshot", "io.csi4j.backend.local.node", "io.csi4j.backend.nfs", "io.csi4j.backend.nfs.libnfs", "io.csi4j.cli", "io.csi4j.bench", "io.csi4j.driver", "io.csi4j.server.metrics",
                "io.csi4j.testing"}) {
            assertThat(csi4j.stream().anyMatch(c -> c.getPackageName().equals(pkg))).as(pkg).isTrue();
        }
    }

    @Test
    void spiDependsOnNothingButTheJdk() {
        classes().that().resideInAPackage("io.csi4j.spi..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.csi4j.spi..", "java..")
                .check(csi4j);
    }

    @Test
    void backendsNeverSeeGrpcOrTheProtocol() {
        noClasses().that().resideInAPackage("io.csi4j.backend..")
                .should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "csi.v1..", "com.google.protobuf..",
                        "io.netty..", "io.csi4j.server..", "io.csi4j.cli..", "io.csi4j.driver..")
                .check(csi4j);
    }

    @Test
    void onlyTheMetricsPackageKnowsPrometheus() {
        // Backends and the Linux layer hand over plain figures and tool runs; the SPI stays plain Java.
        noClasses().that().resideOutsideOfPackage("io.csi4j.server.metrics..")
                .should().dependOnClassesThat().resideInAPackage("io.prometheus..")
                .check(csi4j);
    }

    @Test
    void backendsKnowNothingOfEachOther() {
        noClasses().that().resideInAPackage("io.csi4j.backend.local..")
                .should().dependOnClassesThat().resideInAPackage("io.csi4j.backend.nfs..").check(csi4j);
        noClasses().that().resideInAPackage("io.csi4j.backend.nfs..")
                .should().dependOnClassesThat().resideInAPackage("io.csi4j.backend.local..").check(csi4j);
    }

    @Test
    void localBackendPackagesDependOneWay() {
        // volume <- store <- provision <- {snapshot, node} <- the backend's entry, which wires them
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("entry").definedBy("io.csi4j.backend.local")
                .layer("node").definedBy("io.csi4j.backend.local.node..")
                .layer("snapshot").definedBy("io.csi4j.backend.local.snapshot..")
                .layer("provision").definedBy("io.csi4j.backend.local.provision..")
                .layer("store").definedBy("io.csi4j.backend.local.store..")
                .layer("volume").definedBy("io.csi4j.backend.local.volume..")
                .whereLayer("entry").mayNotBeAccessedByAnyLayer()
                .whereLayer("node").mayOnlyBeAccessedByLayers("entry")
                .whereLayer("snapshot").mayOnlyBeAccessedByLayers("entry")
                .whereLayer("provision").mayOnlyBeAccessedByLayers("entry", "node", "snapshot")
                .whereLayer("store").mayOnlyBeAccessedByLayers("entry", "node", "snapshot", "provision")
                .whereLayer("volume").mayOnlyBeAccessedByLayers("entry", "node", "snapshot", "provision", "store")
                .check(csi4j);
    }

    @Test
    void onlyTheLocalNodeSideReadsTheMountTableAndLoopDevices() {
        // Kernel is the one place that reconciles records with mountinfo and loop devices.
        noClasses().that().resideInAPackage("io.csi4j.backend.local..")
                .and().haveNameNotMatching("io\\.csi4j\\.backend\\.local\\.node\\.Kernel(\\$.*)?")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.csi4j.linux.MountTable")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.csi4j.linux.LoopStatus")
                .check(csi4j);
    }

    @Test
    void onlyTheLibnfsBindingLinksLibnfs() {
        // The FFM binding is the one place native handles to libnfs live; the rest sees plain Java.
        noClasses().that().resideInAPackage("io.csi4j.backend.nfs..").and().resideOutsideOfPackage("io.csi4j.backend.nfs.libnfs..")
                .should().dependOnClassesThat().resideInAPackage("java.lang.foreign..").check(csi4j);
    }

    @Test
    void linuxLayerKnowsNoCsi() {
        noClasses().that().resideInAPackage("io.csi4j.linux..")
                .should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "csi.v1..", "io.csi4j.spi..",
                        "io.csi4j.server..", "io.csi4j.backend..", "io.csi4j.cli..", "io.csi4j.driver..")
                .check(csi4j);
    }

    @Test
    void serverKnowsNoBackendAndNoSystemLayer() {
        noClasses().that().resideInAPackage("io.csi4j.server..")
                .should().dependOnClassesThat().resideInAnyPackage("io.csi4j.backend..", "io.csi4j.linux..",
                        "io.csi4j.cli..", "io.csi4j.driver..")
                .check(csi4j);
    }

    @Test
    void cliSpeaksOnlyTheProtocol() {
        noClasses().that().resideInAPackage("io.csi4j.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("io.csi4j.spi..", "io.csi4j.server..",
                        "io.csi4j.backend..", "io.csi4j.linux..", "io.csi4j.bench..", "io.csi4j.driver..")
                .check(csi4j);
    }

    @Test
    void benchUsesOnlyTheProtocolAndTheCli() {
        // so that it measures any vendor's driver the same way, and never ours through a side door
        noClasses().that().resideInAPackage("io.csi4j.bench..")
                .should().dependOnClassesThat().resideInAnyPackage("io.csi4j.spi..", "io.csi4j.server..",
                        "io.csi4j.backend..", "io.csi4j.linux..", "io.csi4j.driver..", "io.csi4j.testing..")
                .check(csi4j);
    }

    @Test
    void onlyTheDriverWiresBackendsIn() {
        classes().that().resideInAPackage("io.csi4j.backend..")
                .should().onlyHaveDependentClassesThat().resideInAnyPackage("io.csi4j.backend..", "io.csi4j.driver..")
                .check(csi4j);
    }

    @Test
    void testSupportRunsTheDriverWithoutLinkingToIt() {
        noClasses().that().resideInAPackage("io.csi4j.testing..")
                .should().dependOnClassesThat().resideInAnyPackage("io.csi4j.driver..", "io.csi4j.server..",
                        "io.csi4j.backend..")
                .check(csi4j);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.csi4j.(**)").should().beFreeOfCycles().check(csi4j);
    }
}
