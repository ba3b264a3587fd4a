package dev.gantry.parse;

import static dev.gantry.parse.ConformanceTally.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.ast.ArgDefinition;
import dev.gantry.ast.Command;
import dev.gantry.ast.Copy;
import dev.gantry.ast.Device;
import dev.gantry.ast.Devices;
import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.DockerfileException;
import dev.gantry.ast.Healthcheck;
import dev.gantry.ast.Instruction;
import dev.gantry.ast.Run;
import dev.gantry.ast.SourceContent;
import dev.gantry.ast.SyntaxNode;
import dev.gantry.ast.SyntaxTree;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs every record of BuildKit's {@code cases/instructions-cases.jsonl}. */
class InstructionsConformanceTest {

  /** Records we believe BuildKit's data does not apply to Gantry; each is explained in KNOWN-GAPS.md. */
  static final Map<String, String> KNOWN_GAPS = Map.of();

  @Test
  void instructionsCases() throws Exception {
    ConformanceTally.assertDocumented(KNOWN_GAPS);
    ConformanceTally tally = new ConformanceTally("instructions-cases.jsonl", KNOWN_GAPS);
    for (ConformanceTally.Case c : ConformanceTally.load("instructions-cases.jsonl")) {
      tally.run(c, InstructionsConformanceTest::check);
    }
    tally.finish();
  }

  static void check(ConformanceTally.Case c) throws Exception {
    JsonNode j = c.json();
    switch (c.kind()) {
      case "instructionError" -> expectError(() -> first(j.get("dockerfile").asText()), j);
      case "instructionErrorFromAst" -> {
        SyntaxNode node = Nodes.make(j.get("instruction").asText(), List.of(), strings(j.get("astArgs")), List.of(),
            null, false);
        expectError(() -> Instructions.convert(node, List.of(), w -> { }), j);
      }
      case "healthcheckFromAst" -> {
        SyntaxNode node = Nodes.make("HEALTHCHECK", List.of(), strings(j.get("astArgs")), List.of(), null,
            j.get("json").asBoolean());
        Healthcheck h = (Healthcheck) Instructions.convert(node, List.of(), w -> { });
        assertThat(h.test()).isEqualTo(strings(j.get("expectedTest")));
      }
      case "healthcheckDuration" -> {
        Throwable t = catchThrowable(() -> HealthcheckInstruction.interval("interval", j.get("value").asText()));
        if (j.get("ok").asBoolean()) {
          assertThat(t).isNull();
          assertThat(HealthcheckInstruction.interval("interval", j.get("value").asText()).toNanos())
              .isEqualTo(j.get("expectedNanos").asLong());
        } else {
          assertThat(t).isInstanceOf(ConversionError.class).hasMessageContaining(j.get("errorContains").asText());
        }
      }
      case "copyHeredoc" -> {
        Copy copy = (Copy) first(j.get("dockerfile").asText());
        assertThat(copy.destination()).isEqualTo(j.get("expectedDest").asText());
        assertThat(copy.sources()).isEqualTo(strings(j.get("expectedSourcePaths")));
        List<SourceContent> expected = new ArrayList<>();
        j.get("expectedSourceContents").forEach(e -> expected.add(
            new SourceContent(e.get("path").asText(), e.get("data").asText(), e.get("expand").asBoolean())));
        assertThat(copy.contents()).isEqualTo(expected);
      }
      case "runHeredoc" -> {
        Run run = (Run) first(j.get("dockerfile").asText());
        assertThat(run.command().args()).isEqualTo(strings(j.get("expectedCmdLine")));
        assertThat(run.command().prependShell()).isEqualTo(j.get("expectedPrependShell").asBoolean());
        List<String> files = new ArrayList<>();
        run.command().files().forEach(f -> files.add(f.name() + "|" + f.content() + "|" + f.chomp()));
        List<String> want = new ArrayList<>();
        j.get("expectedFiles").forEach(f -> want.add(f.get("name").asText() + "|" + f.get("data").asText() + "|"
            + f.get("chomp").asBoolean()));
        assertThat(files).isEqualTo(want);
      }
      case "runFlagsUsed" -> assertThat(((Run) first(j.get("dockerfile").asText())).flagsUsed())
          .isEqualTo(strings(j.get("expectedFlagsUsed")));
      case "docComments" -> docComments(j);
      case "builderFlags" -> builderFlags(j);
      case "runDevice" -> {
        if (j.has("expectedError")) {
          assertThat(catchThrowable(() -> Devices.parse(j.get("input").asText())))
              .hasMessage(j.get("expectedError").asText());
        } else {
          assertThat(Devices.parse(j.get("input").asText())).isEqualTo(
              new Device(j.get("expected").get("name").asText(), j.get("expected").get("required").asBoolean()));
        }
      }
      case "handleJSONArgs" -> assertThat(Command.of(strings(j.get("args")), j.get("json").asBoolean(), List.of())
          .args()).isEqualTo(strings(j.get("expected")));
      case "buildError" -> {
        Throwable t = catchThrowable(() -> parse(j.get("dockerfile").asText()));
        assertThat(t).isInstanceOf(DockerfileException.class);
        String text = ((DockerfileException) t).format();
        for (String part : strings(j.get("expectedErrorContains"))) {
          assertThat(text).contains(part);
        }
      }
      case "noCrash" -> noCrash(j);
      default -> throw new AssertionError("unknown kind " + c.kind());
    }
  }

  private static void expectError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, JsonNode j) {
    Throwable t = catchThrowable(call);
    assertThat(t).as("must fail").isNotNull();
    String message = t instanceof DockerfileException d ? d.diagnostics().get(0).message() : t.getMessage();
    if ("contains".equals(j.path("match").asText())) {
      assertThat(message).contains(j.get("expectedError").asText());
    } else {
      assertThat(message).isEqualTo(j.get("expectedError").asText());
    }
  }

  /** Parses a Dockerfile and converts its first instruction. */
  static Instruction first(String dockerfile) {
    SyntaxTree tree = tree(dockerfile);
    return Instructions.convert(tree.children().get(0), List.of(), w -> { });
  }

  static SyntaxTree tree(String dockerfile) {
    return Dockerfiles.syntax("Dockerfile", dockerfile.getBytes(StandardCharsets.UTF_8));
  }

  /** Parses and converts a whole Dockerfile, with doc comments. */
  static Dockerfile parse(String dockerfile) {
    return Dockerfiles.parse("Dockerfile", dockerfile.getBytes(StandardCharsets.UTF_8));
  }

  private static void docComments(JsonNode j) {
    Dockerfile d = parse(j.get("dockerfile").asText());
    JsonNode e = j.get("expected");
    assertThat(d.stages().get(0).from().docComment()).isEqualTo(e.get("stage0DocComment").asText());
    List<String> meta = new ArrayList<>();
    d.globalArgs().forEach(a -> a.args().forEach(x -> meta.add(x.key() + "|" + x.docComment())));
    List<String> wantMeta = new ArrayList<>();
    e.get("metaArgs").forEach(x -> wantMeta.add(x.get("key").asText() + "|" + x.get("docComment").asText()));
    assertThat(meta).isEqualTo(wantMeta);
    List<String> got = new ArrayList<>();
    for (Instruction ins : d.stages().get(0).instructions()) {
      List<String> keys = new ArrayList<>();
      for (ArgDefinition x : ((dev.gantry.ast.Arg) ins).args()) {
        keys.add(x.key() + "|" + x.docComment());
      }
      got.add(String.join(",", keys));
    }
    List<String> want = new ArrayList<>();
    e.get("stage0Commands").forEach(cmd -> {
      List<String> keys = new ArrayList<>();
      cmd.get("args").forEach(x -> keys.add(x.get("key").asText() + "|" + x.get("docComment").asText()));
      want.add(String.join(",", keys));
    });
    assertThat(got).isEqualTo(want);
  }

  private static void builderFlags(JsonNode j) {
    BuilderFlags flags = new BuilderFlags(strings(j.get("args")));
    Map<String, BuilderFlags.Flag> defined = new java.util.TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = j.get("defined").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      JsonNode spec = f.getValue();
      defined.put(f.getKey(), spec.get("type").asText().equals("bool")
          ? flags.addBool(f.getKey(), spec.get("default").asBoolean())
          : flags.addString(f.getKey(), spec.get("default").asText()));
    }
    Throwable t = catchThrowable(flags::parse);
    if (!j.get("ok").asBoolean()) {
      assertThat(t).isInstanceOf(IllegalArgumentException.class);
      return;
    }
    assertThat(t).isNull();
    if (j.has("expected")) {
      for (Iterator<Map.Entry<String, JsonNode>> it = j.get("expected").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        BuilderFlags.Flag flag = defined.get(f.getKey());
        assertThat(flag.value()).isEqualTo(f.getValue().get("value").asText());
        if (f.getValue().has("used")) {
          assertThat(flag.isUsed()).isEqualTo(f.getValue().get("used").asBoolean());
        }
      }
    }
    if (j.has("expectedUsedSorted")) {
      assertThat(flags.used()).isEqualTo(strings(j.get("expectedUsedSorted")));
    }
  }

  private static void noCrash(JsonNode j) {
    String template = j.get("dockerfileTemplate").asText();
    for (String name : Instructions.NAMES) {
      for (String args : strings(j.get("argVariants"))) {
        for (String keyword : List.of(name, name.toLowerCase(Locale.ROOT))) {
          String text = template.replace("%INSTRUCTION%", keyword).replace("%ARGS%", args);
          try {
            parse(text);
          } catch (DockerfileException expected) {
            assertThat(expected.diagnostics()).isNotEmpty();
          }
        }
      }
    }
  }
}
