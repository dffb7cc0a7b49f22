package io.capstan.app;

/** One line for the user: the deepest cause that says something. */
public final class Errors {

  private Errors() {
  }

  public static String describe(Throwable e) {
    Throwable t = e;
    String message = e.getMessage();
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
