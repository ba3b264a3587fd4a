package dev.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials from explicit values and the docker config; challenges; Retry-After; backoff. */
class CredentialsTest {
  @TempDir Path tmp;

  private Path config(String json) throws Exception {
    Path f = tmp.resolve("config.json");
    Files.writeString(f, json);
    return f;
  }

  @Test
  void readsAuthAndIdentityTokenEntriesOfTheDockerConfig() throws Exception {
    String auth = Base64.getEncoder().encodeToString("alice:pa55".getBytes(StandardCharsets.UTF_8));
    Path file = config("{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"" + auth + "\"},"
        + "\"reg.example\":{\"auth\":\"" + Base64.getEncoder().encodeToString("alice:".getBytes(StandardCharsets.UTF_8))
        + "\",\"identitytoken\":\"refresh-me\"},"
        + "\"broken.example\":{\"auth\":\"\"},"
        + "\"https://index.docker.io/v1/\":{\"auth\":\"" + auth + "\"}}}");
    Credentials c = Credentials.of(Map.of(), file);
    assertThat(c.lookup(ImageReference.parse("127.0.0.1:5000/x"))).contains(new Credentials.Secret("alice", "pa55"));
    Credentials.Secret token = c.lookup(ImageReference.parse("reg.example/x")).orElseThrow();
    assertThat(token.isIdentityToken()).isTrue();
    assertThat(token.secret()).isEqualTo("refresh-me");
    assertThat(c.lookup(ImageReference.parse("ubuntu"))).contains(new Credentials.Secret("alice", "pa55"));
    assertThat(c.lookup(ImageReference.parse("other.example/x"))).isEmpty();
    assertThat(c.lookup(ImageReference.parse("broken.example/x"))).isEmpty();
  }

  @Test
  void readsUserAndPasswordEntriesAndKeysWithASchemeOrAPath() throws Exception {
    Credentials c = Credentials.of(Map.of(), config("{\"auths\":{"
        + "\"https://ci.example/v2/\":{\"username\":\"ci\",\"password\":\"t0ken\"},"
        + "\"half.example\":{\"username\":\"ci\"}}}"));
    assertThat(c.lookup(ImageReference.parse("ci.example/team/app"))).contains(new Credentials.Secret("ci", "t0ken"));
    assertThat(c.lookup(ImageReference.parse("half.example/app"))).isEmpty();
    assertThat(c.lookup(ImageReference.parse("ci.example.org/app"))).isEmpty();
  }

  @Test
  void explicitCredentialsComeFirstAndNeverPrintTheirSecret() throws Exception {
    String auth = Base64.getEncoder().encodeToString("alice:pa55".getBytes(StandardCharsets.UTF_8));
    Credentials c = Credentials.of(Map.of("127.0.0.1:5000", new Credentials.Secret("bob", "hunter2")),
        config("{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"" + auth + "\"}}}"));
    Credentials.Secret s = c.lookup(ImageReference.parse("127.0.0.1:5000/x")).orElseThrow();
    assertThat(s.user()).isEqualTo("bob");
    assertThat(s.toString()).contains("bob").doesNotContain("hunter2");
  }

  @Test
  void aMissingDockerConfigMeansAnonymous() {
    assertThat(Credentials.of(Map.of(), tmp.resolve("absent.json")).lookup(ImageReference.parse("x"))).isEmpty();
    assertThat(Credentials.none().lookup(ImageReference.parse("x"))).isEmpty();
  }

  @Test
  void parsesBearerAndBasicChallenges() {
    Challenge bearer = Challenge.parse("Bearer realm=\"https://auth.example/token\",service=\"registry.example\","
        + "scope=\"repository:a/b:pull,push\",error=\"invalid_token\"").orElseThrow();
    assertThat(bearer.scheme()).isEqualTo("bearer");
    assertThat(bearer.param("realm")).isEqualTo("https://auth.example/token");
    assertThat(bearer.param("service")).isEqualTo("registry.example");
    assertThat(bearer.param("scope")).isEqualTo("repository:a/b:pull,push");
    Challenge basic = Challenge.parse("Basic realm=\"Registry Realm\"").orElseThrow();
    assertThat(basic.scheme()).isEqualTo("basic");
    assertThat(basic.param("realm")).isEqualTo("Registry Realm");
    assertThat(Challenge.parse(" ")).isEmpty();
  }

  @Test
  void readsRetryAfterAsSecondsOrADate() {
    assertThat(RegistryTransport.retryAfter(headers("Retry-After", "3"))).isEqualTo(Duration.ofSeconds(3));
    assertThat(RegistryTransport.retryAfter(headers("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")))
        .isEqualTo(Duration.ZERO);
    assertThat(RegistryTransport.retryAfter(headers("Retry-After", "soon"))).isNull();
    assertThat(RegistryTransport.retryAfter(headers("X-Other", "1"))).isNull();
  }

  @Test
  void backoffDoublesUpToItsCap() {
    RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(700), Duration.ofMinutes(1),
        Duration.ofSeconds(1));
    assertThat(List.of(p.backoff(1), p.backoff(2), p.backoff(3), p.backoff(4), p.backoff(9))).containsExactly(
        Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(700),
        Duration.ofMillis(700));
  }

  private static HttpHeaders headers(String name, String value) {
    return HttpHeaders.of(Map.of(name, List.of(value)), (a, b) -> true);
  }
}
