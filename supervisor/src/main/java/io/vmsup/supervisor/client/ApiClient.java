package io.vmsup.supervisor.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A small blocking client of the HTTP API for the command line ({@code vmsup vm ...}). It is built on
 * {@link HttpURLConnection} rather than {@code java.net.http.HttpClient} on purpose: the latter loads ~1,300 more
 * classes and sets up TLS even for {@code http://}, which cost about 1 s of every CLI call here (docs/benchmarks.md).
 */
public final class ApiClient {

  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int READ_TIMEOUT_MS = 10 * 60_000;

  /** A response: status and body text. */
  public record Response(int status, String contentType, String body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private final String baseUrl;
  private final String token;

  public ApiClient(String baseUrl, String token) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token;
  }

  /** The daemon's host as the client reaches it (shown in tables). */
  public String host() {
    String host = URI.create(baseUrl).getHost();
    return host == null ? "?" : host;
  }

  public Response send(String method, String path, String jsonBody) throws IOException {
    return send(method, path, jsonBody, java.util.Map.of());
  }

  /** A request with further headers (such as {@code If-Match}). */
  public Response send(String method, String path, String jsonBody, java.util.Map<String, String> headers)
      throws IOException {
    HttpURLConnection c = open(path, READ_TIMEOUT_MS);
    c.setRequestMethod(method);
    headers.forEach(c::setRequestProperty);
    if (jsonBody != null) {
      byte[] bytes = jsonBody.getBytes(StandardCharsets.UTF_8);
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "application/json");
      c.setFixedLengthStreamingMode(bytes.length);
      try (OutputStream out = c.getOutputStream()) {
        out.write(bytes);
      }
    }
    try {
      int status = c.getResponseCode();
      return new Response(status, contentType(c), new String(body(c, status), StandardCharsets.UTF_8));
    } finally {
      c.disconnect();
    }
  }

  /**
   * Follows a Server-Sent Events stream, handing each {@code data:} payload to {@code events} until the server
   * closes it (or {@link Stream#close()} is called); {@code subscribed} runs once the server said it is subscribed
   * (events after that are delivered). Returns the error response when the stream could not be opened, null after
   * an end.
   */
  public Response stream(String path, Runnable subscribed, Consumer<String> events) throws IOException {
    return open(path).follow(subscribed, events);
  }

  /** A stream not yet read: {@link Stream#follow} reads it, {@link Stream#close} (from any thread) ends it. */
  public Stream open(String path) throws IOException {
    HttpURLConnection c = open(path, 0);
    c.setRequestProperty("Accept", "text/event-stream");
    return new Stream(c);
  }

  /** One Server-Sent Events request. */
  public static final class Stream implements AutoCloseable {
    private final HttpURLConnection connection;

    private Stream(HttpURLConnection connection) {
      this.connection = connection;
    }

    /** As {@link ApiClient#stream}. */
    public Response follow(Runnable subscribed, Consumer<String> events) throws IOException {
      int status = connection.getResponseCode();
      if (status != 200) {
        return new Response(status, contentType(connection), new String(body(connection, status),
            StandardCharsets.UTF_8));
      }
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(connection.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          if (line.startsWith("data:")) {
            events.accept(line.substring(5).trim());
          } else if (line.startsWith(": subscribed")) {
            subscribed.run();
          }
        }
      }
      return null;
    }

    @Override
    public void close() {
      connection.disconnect();
    }
  }

  private HttpURLConnection open(String path, int readTimeoutMs) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(baseUrl + path).toURL().openConnection();
    c.setConnectTimeout(CONNECT_TIMEOUT_MS);
    c.setReadTimeout(readTimeoutMs);
    c.setUseCaches(false);
    c.setRequestProperty("Authorization", "Bearer " + token);
    return c;
  }

  private static String contentType(HttpURLConnection c) {
    String type = c.getContentType();
    return type == null ? "" : type;
  }

  private static byte[] body(HttpURLConnection c, int status) throws IOException {
    try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
      return in == null ? new byte[0] : in.readAllBytes();
    }
  }
}
