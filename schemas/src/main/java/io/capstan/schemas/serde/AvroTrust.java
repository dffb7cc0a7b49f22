package io.capstan.schemas.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro (1.12.2+) instantiates only classes it trusts when it resolves a schema to Java classes.
 * Capstan's generated contracts are trusted once, on top of whatever the JVM already trusts.
 */
public final class AvroTrust {

  private static final String PACKAGE = "io.capstan.schemas.";
  private static boolean installed;

  private AvroTrust() {
  }

  public static synchronized void install() {
    if (installed) {
      return;
    }
    ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
        type -> type.getName().startsWith(PACKAGE)));
    installed = true;
  }
}
