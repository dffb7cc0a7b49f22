package io.capstan.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Every topic's schema must read what the committed copy in src/test/resources/compat wrote:
 * records already on a topic stay readable after an upgrade. When a change is intended and
 * compatible, refresh the copies with {@code mvn -pl schemas test -Dcapstan.schemas.snapshot=true}.
 */
class SchemaCompatibilityTest {

  private static final Path COMPAT_DIR = Path.of("src/test/resources/compat");

  @Test
  void currentSchemasReadWhatTheCommittedOnesWrote() throws IOException {
    boolean snapshot = Boolean.getBoolean("capstan.schemas.snapshot");
    for (Class<? extends SpecificRecord> type : TopLevelSchemas.ALL) {
      Schema current = SpecificData.get().getSchema(type);
      String file = type.getSimpleName() + ".avsc";
      if (snapshot) {
        Files.createDirectories(COMPAT_DIR);
        Files.writeString(COMPAT_DIR.resolve(file), current.toString(true) + "\n");
        continue;
      }
      Schema committed = committed(file);
      var result = SchemaCompatibility.checkReaderWriterCompatibility(current, committed);
      assertThat(result.getType())
          .as(type.getSimpleName() + " must read records written with the committed schema: "
              + result.getResult().getIncompatibilities())
          .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }
  }

  private static Schema committed(String file) throws IOException {
    try (InputStream in = SchemaCompatibilityTest.class.getResourceAsStream("/compat/" + file)) {
      if (in == null) {
        fail("no committed copy of " + file + " in schemas/src/test/resources/compat; run "
            + "mvn -pl schemas test -Dcapstan.schemas.snapshot=true and commit it");
      }
      return new Schema.Parser().parse(in);
    }
  }
}
