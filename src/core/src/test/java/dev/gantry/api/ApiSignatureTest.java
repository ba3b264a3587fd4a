package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.BuildEvent;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rule of docs/ARCHITECTURE.md section 2: the public signatures of {@code dev.gantry.api} and
 * {@code dev.gantry.model} (what their public types extend and implement, and their public or
 * protected constructors, methods, fields and record components) use only JDK, api, model, ast and
 * oci types, so library users depend on nothing else.
 */
class ApiSignatureTest {
  /** Prefixes of the types a public signature of the api may use. */
  private static final List<String> ALLOWED = List.of("java.", "javax.", "dev.gantry.api.", "dev.gantry.model.",
      "dev.gantry.ast.", "dev.gantry.oci.");

  /**
   * Known violations, found when the rule was first enforced; they are not fixed here. This list may
   * only shrink: the test fails when an entry is no longer a violation, so that it is removed.
   */
  private static final Set<String> KNOWN = Set.of();

  @Test
  void publicSignaturesUseOnlyJdkApiModelAstAndOciTypes() throws Exception {
    Set<String> violations = violations(publicApiTypes());
    assertThat(violations).as("public api signatures using types outside JDK, api, model, ast and oci")
        .isSubsetOf(KNOWN);
    assertThat(KNOWN).as("known violations that are gone: remove them from KNOWN").isSubsetOf(violations);
  }

  /** A public type that leaks a store type through each kind of signature, and hides one privately. */
  public abstract static class Leaky implements java.util.function.Supplier<dev.gantry.store.Store> {
    public dev.gantry.store.StoreUsage usage;
    private dev.gantry.store.Store hidden;

    protected Leaky(List<? extends dev.gantry.store.StoreStats> stats) throws dev.gantry.store.DigestMismatchException {}

    public abstract dev.gantry.oci.Digest fine(dev.gantry.ast.Dockerfile df);

    private void hidden(dev.gantry.store.Store s) {}
  }

  /** Its record components count too. */
  public record LeakyRecord(dev.gantry.store.Store store) {}

  @Test
  void everyKindOfPublicSignatureIsChecked() {
    String leaky = Leaky.class.getName();
    String rec = LeakyRecord.class.getName();
    assertThat(violations(List.of(Leaky.class, LeakyRecord.class))).containsExactlyInAnyOrder(
        leaky + " implements uses dev.gantry.store.Store",
        leaky + ".usage uses dev.gantry.store.StoreUsage",
        leaky + ".<init> parameter uses dev.gantry.store.StoreStats",
        leaky + ".<init> throws uses dev.gantry.store.DigestMismatchException",
        rec + ".<init> parameter uses dev.gantry.store.Store",
        rec + ".store returns uses dev.gantry.store.Store",
        rec + ".store (record component) uses dev.gantry.store.Store");
  }

  /** Every use of a type that is not allowed in the public signatures of {@code types}. */
  private static Set<String> violations(List<Class<?>> types) {
    Set<String> violations = new TreeSet<>();
    for (Class<?> c : types) {
      String owner = c.getName();
      uses(violations, owner + " extends", c.getGenericSuperclass());
      for (Type t : c.getGenericInterfaces()) {
        uses(violations, owner + " implements", t);
      }
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (visible(k)) {
          executable(violations, owner + ".<init>", k);
        }
      }
      for (Method m : c.getDeclaredMethods()) {
        if (visible(m) && !m.isSynthetic() && !m.isBridge()) {
          executable(violations, owner + "." + m.getName(), m);
          uses(violations, owner + "." + m.getName() + " returns", m.getGenericReturnType());
        }
      }
      for (Field f : c.getDeclaredFields()) {
        if (visible(f) && !f.isSynthetic()) {
          uses(violations, owner + "." + f.getName(), f.getGenericType());
        }
      }
      if (c.isRecord()) {
        for (RecordComponent rc : c.getRecordComponents()) {
          uses(violations, owner + "." + rc.getName() + " (record component)", rc.getGenericType());
        }
      }
    }
    return violations;
  }

  private static boolean visible(Member m) {
    return Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers());
  }

  private static void executable(Set<String> out, String where, Executable e) {
    for (Type t : e.getGenericParameterTypes()) {
      uses(out, where + " parameter", t);
    }
    for (Type t : e.getGenericExceptionTypes()) {
      uses(out, where + " throws", t);
    }
  }

  /** Adds {@code where uses NAME} for every type in {@code t} (type arguments and bounds too) that is not allowed. */
  private static void uses(Set<String> out, String where, Type t) {
    if (t == null) {
      return;
    }
    if (t instanceof Class<?> c) {
      while (c.isArray()) {
        c = c.getComponentType();
      }
      String name = c.getName();
      if (!c.isPrimitive() && ALLOWED.stream().noneMatch(name::startsWith)) {
        out.add(where + " uses " + name);
      }
    } else if (t instanceof ParameterizedType p) {
      uses(out, where, p.getRawType());
      for (Type a : p.getActualTypeArguments()) {
        uses(out, where, a);
      }
    } else if (t instanceof GenericArrayType g) {
      uses(out, where, g.getGenericComponentType());
    } else if (t instanceof WildcardType w) {
      for (Type b : w.getUpperBounds()) {
        uses(out, where, b);
      }
      for (Type b : w.getLowerBounds()) {
        uses(out, where, b);
      }
    } else if (t instanceof TypeVariable<?> v) {
      for (Type b : v.getBounds()) {
        uses(out, where, b);
      }
    }
  }

  /** The public types of the api and model packages (nested ones when every enclosing type is public too). */
  private static List<Class<?>> publicApiTypes() throws IOException, URISyntaxException, ClassNotFoundException {
    Path classes = Path.of(Gantry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> types = new ArrayList<>();
    for (String pkg : List.of("api", "model")) {
      try (Stream<Path> files = Files.list(classes.resolve("dev/gantry/" + pkg))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
          String name = "dev.gantry." + pkg + "." + f.getFileName().toString().replaceFirst("\\.class$", "");
          Class<?> c = Class.forName(name, false, ApiSignatureTest.class.getClassLoader());
          if (exported(c)) {
            types.add(c);
          }
        }
      }
    }
    assertThat(types).as("public api types").contains(Gantry.class, BuildRequest.class, BuildEvent.class);
    return types;
  }

  private static boolean exported(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass() || k.isSynthetic()) {
        return false;
      }
    }
    return true;
  }
}
