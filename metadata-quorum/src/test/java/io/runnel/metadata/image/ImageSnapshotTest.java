package io.runnel.metadata.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSnapshotTest {
    @TempDir
    Path dir;

    private static MetadataImage sample() {
        MetadataDelta delta = new MetadataDelta(MetadataImage.empty("cluster-a"));
        UUID id = new UUID(3, 4);
        delta.replay(MetadataDeltaTest.register(1, 5));
        delta.replay(MetadataDeltaTest.topic("orders", id));
        delta.replay(MetadataDeltaTest.partition(id, 0, List.of(1)));
        return delta.apply(new MetadataProvenance(2, 9));
    }

    @Test
    void writeThenReadGivesTheSameImage() throws Exception {
        Path file = dir.resolve("snapshot.2_9");
        ImageSnapshot.write(file, sample());
        assertEquals(sample(), ImageSnapshot.read(file));
        assertEquals(sample().digest(), ImageSnapshot.read(file).digest());
    }

    @Test
    void truncatedFileIsReportedWithItsName() throws Exception {
        Path file = dir.resolve("snapshot.2_9");
        ImageSnapshot.write(file, sample());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        CorruptSnapshotException e = assertThrows(CorruptSnapshotException.class, () -> ImageSnapshot.read(file));
        assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
    }

    @Test
    void digestDependsOnContentAndIs64HexDigits() {
        assertEquals(64, sample().digest().length());
        assertNotEquals(sample().digest(), MetadataImage.empty("cluster-a").digest());
    }
}
