package io.rotor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * No config key is accepted and then ignored: every key of the options classes, and every key
 * documented in docs/configuration.md, must be read by the node, not only by the options,
 * validation and docs code. "Read" is decided on the compiled main classes (ASM): the key's field
 * (ConfigMapper binds fields) is read by a live method. Every method outside {@code io.rotor.config}
 * is live; a method of an {@code *Options} class (its getter, or a helper such as
 * {@code historyEnabled()}) is live when a live method calls it or refers to it
 * ({@code Options::isX}). ConfigValidator, ConfigLoader, UnsafeSettings and the other non-options
 * classes of the package check or describe keys: what they read does not count.
 *
 * <p>The check is per field, not per path: a class bound at several paths (ProxyOptions) counts as
 * read at all of them. Where a shared key means nothing at one path, that path is handled where it
 * is configured (the connect proxy's include_connection_meta is a startup warning, the gRPC
 * server's client-side TLS keys are refused: {@link #REFUSED}).
 */
class ConfigKeysReadTest {

  private static final Path CLASSES = Path.of("target/classes");
  private static final String CONFIG_PACKAGE = "io/rotor/config/";

  /** A leaf key and the field it is bound to. */
  record Leaf(String path, Class<?> declaring, String field) {
  }

  /** A method or field of a compiled class: {@code owner.name}. */
  record Ref(String owner, String name) {
  }

  @Test
  void everyKeyIsReadByTheNode() throws IOException {
    List<Leaf> leaves = new ArrayList<>();
    collect("", ConfigMapper.MAPPER.constructType(RotorOptions.class), leaves);
    assertTrue(leaves.size() > 150, "only " + leaves.size() + " keys found");
    Set<Ref> read = liveFieldReads();
    List<String> unread = new ArrayList<>();
    for (Leaf leaf : leaves) {
      if (!isRead(leaf, read) && !REFUSED.containsKey(leaf.path())) {
        unread.add(leaf.path() + " (" + leaf.declaring().getSimpleName() + "." + leaf.field() + ")");
      }
    }
    assertEquals(List.of(), unread, "config keys that nothing but the options/validation/docs code reads");
  }

  /**
   * Keys that exist only to be refused: Centrifugo's TLS object is shared by servers and clients,
   * and its client-side keys mean nothing on the gRPC server, so any value but the default stops
   * the node (checked below), rather than being ignored.
   */
  private static final Map<String, String> REFUSED = Map.of(
      "grpc_api.tls.server_ca_pem", "{\"grpc_api\": {\"tls\": {\"server_ca_pem\": \"x\"}}}",
      "grpc_api.tls.insecure_skip_verify", "{\"grpc_api\": {\"tls\": {\"insecure_skip_verify\": true}}}",
      "grpc_api.tls.server_name", "{\"grpc_api\": {\"tls\": {\"server_name\": \"x\"}}}");

  @Test
  void keysThatExistToBeRefusedAreRefused() {
    REFUSED.forEach((key, config) -> {
      ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
          () -> ConfigLoader.fromJson(config, Map.of()), key);
      assertTrue(e.getMessage().startsWith(key), e.getMessage());
    });
  }

  @Test
  void everyDocumentedKeyIsAnOptionsKey() throws IOException {
    List<Leaf> leaves = new ArrayList<>();
    collect("", ConfigMapper.MAPPER.constructType(RotorOptions.class), leaves);
    Set<String> known = new HashSet<>();
    for (Leaf leaf : leaves) {
      for (String p = leaf.path(); p != null; p = ConfigDocsTest.parent(p)) {
        known.add(p);
        // Namespace keys are documented once, by bare name, for without_namespace and namespaces alike.
        if (p.startsWith("channel.without_namespace.")) {
          known.add(p.substring("channel.without_namespace.".length()));
        }
      }
    }
    String doc = Files.readString(Path.of("../docs/configuration.md"));
    // The key tables (rows "| `key` | type | default | meaning |"), not the lists of Centrifugo keys.
    Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9_.\\[\\]]+)` \\| [^|]+ \\| `[^`]*` \\|").matcher(doc);
    Set<String> documented = new TreeSet<>();
    while (row.find()) {
      documented.add(row.group(1).replace("[i]", "[]"));
    }
    assertTrue(documented.size() > 150, "only " + documented.size() + " documented keys found");
    List<String> unknown = documented.stream().filter(k -> !known.contains(k)).toList();
    assertEquals(List.of(), unknown, "documented keys the options classes do not have");
  }

  /** The leaf keys under a type, with the same Jackson introspection that binds the config. */
  private static void collect(String path, JavaType type, List<Leaf> out) {
    BeanDescription bean = ConfigMapper.MAPPER.getDeserializationConfig().introspect(type);
    for (BeanPropertyDefinition prop : bean.findProperties()) {
      if (!prop.couldDeserialize()) {
        continue;
      }
      String child = path.isEmpty() ? prop.getName() : path + "." + prop.getName();
      JavaType t = prop.getPrimaryType();
      Class<?> raw = t.getRawClass();
      if (isOptions(raw)) {
        collect(child, t, out);
        continue;
      }
      if (java.util.List.class.isAssignableFrom(raw) && isOptions(t.getContentType().getRawClass())) {
        collect(child + "[]", t.getContentType(), out);
        continue;
      }
      assertTrue(prop.getField() != null, child + " is not bound to a field");
      out.add(new Leaf(child, prop.getField().getDeclaringClass(), prop.getField().getName()));
    }
  }

  private static boolean isOptions(Class<?> raw) {
    return raw.getPackageName().equals(RotorOptions.class.getPackageName());
  }

  private static boolean isRead(Leaf leaf, Set<Ref> reads) {
    return reads.contains(new Ref(leaf.declaring().getName().replace('.', '/'), leaf.field()));
  }

  /**
   * Every field read by live code: all methods outside the config package are live, and a method
   * of an {@code *Options} class becomes live when live code calls it (to a fixpoint).
   */
  private static Set<Ref> liveFieldReads() throws IOException {
    Map<Ref, Set<Ref>> calls = new HashMap<>();
    Map<Ref, Set<Ref>> fieldReads = new HashMap<>();
    try (Stream<Path> files = Files.walk(CLASSES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          scan(new ClassReader(in), calls, fieldReads);
        }
      }
    }
    assertTrue(calls.size() > 1000, "only " + calls.size() + " methods scanned: is " + CLASSES + " compiled?");
    Set<Ref> live = new HashSet<>();
    Deque<Ref> todo = new ArrayDeque<>();
    for (Ref m : calls.keySet()) {
      if (!m.owner().startsWith(CONFIG_PACKAGE)) {
        live.add(m);
        todo.add(m);
      }
    }
    Set<Ref> reads = new HashSet<>();
    while (!todo.isEmpty()) {
      Ref method = todo.poll();
      reads.addAll(fieldReads.getOrDefault(method, Set.of()));
      for (Ref target : calls.getOrDefault(method, Set.of())) {
        if (target.owner().startsWith(CONFIG_PACKAGE) && target.owner().endsWith("Options")) {
          // The call may name a subclass (NamespaceOptions) of the class that declares the method.
          for (Ref m : calls.keySet()) {
            if (m.name().equals(target.name()) && m.owner().startsWith(CONFIG_PACKAGE)
                && related(m.owner(), target.owner()) && live.add(m)) {
              todo.add(m);
            }
          }
        }
      }
    }
    return reads;
  }

  private static boolean related(String a, String b) {
    try {
      ClassLoader cl = ConfigKeysReadTest.class.getClassLoader();
      Class<?> x = Class.forName(a.replace('/', '.'), false, cl);
      Class<?> y = Class.forName(b.replace('/', '.'), false, cl);
      return x.isAssignableFrom(y) || y.isAssignableFrom(x);
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static void scan(ClassReader reader, Map<Ref, Set<Ref>> calls, Map<Ref, Set<Ref>> fieldReads) {
    reader.accept(new ClassVisitor(Opcodes.ASM9) {
      private String owner;

      @Override
      public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        owner = name;
      }

      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        Ref method = new Ref(owner, name);
        Set<Ref> targets = calls.computeIfAbsent(method, k -> new HashSet<>());
        Set<Ref> fields = fieldReads.computeIfAbsent(method, k -> new HashSet<>());
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitFieldInsn(int opcode, String o, String n, String d) {
            if (opcode == Opcodes.GETFIELD || opcode == Opcodes.GETSTATIC) {
              fields.add(new Ref(o, n));
            }
          }

          @Override
          public void visitMethodInsn(int opcode, String o, String n, String d, boolean itf) {
            targets.add(new Ref(o, n));
          }

          @Override
          public void visitInvokeDynamicInsn(String n, String d, Handle bsm, Object... args) {
            // Method references (Options::isX) and lambdas: the handles among the bootstrap arguments.
            for (Object a : args) {
              if (a instanceof Handle h) {
                targets.add(new Ref(h.getOwner(), h.getName()));
              }
            }
          }
        };
      }
    }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
  }
}
