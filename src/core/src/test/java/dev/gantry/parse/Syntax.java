package dev.gantry.parse;

import dev.gantry.ast.SyntaxTree;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Reaches the syntax layer ({@code SyntaxParser.parse(String, byte[])}) when it is on the class
 * path, so that whole-Dockerfile conformance cases can run end to end.
 */
final class Syntax {
  private Syntax() {}

  private static final Method PARSE = find();

  private static Method find() {
    try {
      return Class.forName("dev.gantry.parse.SyntaxParser").getMethod("parse", String.class, byte[].class);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  /** True when the syntax parser is available. */
  static boolean available() {
    return PARSE != null;
  }

  /** Parses a whole Dockerfile to its syntax tree. */
  static SyntaxTree parse(String file, byte[] content) {
    try {
      return (SyntaxTree) PARSE.invoke(null, file, content);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
