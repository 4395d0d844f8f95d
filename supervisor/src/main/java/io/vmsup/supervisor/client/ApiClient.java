package io.vmsup.supervisor.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A small blocking client of the HTTP API for the command line ({@code vmsup vm ...}); JDK {@link HttpClient}.
 */
public final class ApiClient {

  /** A response: status and body text. */
  public record Response(int status, String contentType, String body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private final HttpClient http;
  private final String baseUrl;
  private final String token;

  public ApiClient(String baseUrl, String token) {
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token;
  }

  public Response send(String method, String path, String jsonBody) throws IOException, InterruptedException {
    HttpRequest.BodyPublisher body = jsonBody == null
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody);
    HttpRequest.Builder request = base(path).method(method, body);
    if (jsonBody != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
        response.body());
  }

  /**
   * Follows a Server-Sent Events stream, handing each {@code data:} payload to {@code events} until the server
   * closes it; {@code subscribed} runs once the server said it is subscribed (events after that are delivered). Returns the error response when the stream could not be opened, null after a normal end.
   */
  public Response stream(String path, Runnable subscribed, Consumer<String> events)
      throws IOException, InterruptedException {
    HttpRequest request = base(path).header("Accept", "text/event-stream").GET().build();
    HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
            new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
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

  private HttpRequest.Builder base(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Authorization", "Bearer " + token)
        .timeout(Duration.ofMinutes(10));
  }
}
