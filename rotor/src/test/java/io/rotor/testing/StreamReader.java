package io.rotor.testing;

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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A streaming HTTP response read line by line (HTTP-streaming, SSE, SockJS xhr-streaming): tests
 * wait for the next line matching a predicate, or for the end of the stream, with a timeout.
 */
public final class StreamReader implements AutoCloseable {

  public static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  /** Put in the queue when the stream ends. */
  private static final String END = new String("<end of stream>");

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Thread reader;

  private StreamReader(HttpResponse<InputStream> response) {
    this.response = response;
    this.reader = new Thread(this::read, "stream-reader");
    reader.setDaemon(true);
    reader.start();
  }

  public static StreamReader open(HttpRequest request) {
    try {
      return new StreamReader(HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream()));
    } catch (IOException e) {
      throw new AssertionError("request failed: " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public static HttpRequest.Builder post(int port, String path, String body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  public static HttpRequest.Builder get(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
  }

  /** A plain request with the whole body as a string. */
  public static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public HttpResponse<InputStream> response() {
    return response;
  }

  public int status() {
    return response.statusCode();
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException ignored) {
      // closed by the test or the server
    }
    lines.add(END);
  }

  /** The next line that matches, skipping others; fails at the end of the stream or after 5 s. */
  public String next(Predicate<String> matching) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    try {
      while (true) {
        String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new AssertionError("timed out waiting for a matching line");
        }
        if (line == END) {
          lines.add(END);
          throw new AssertionError("stream ended before a matching line");
        }
        if (matching.test(line)) {
          return line;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public String next(String containing) {
    return next(l -> l.contains(containing));
  }

  /** Waits for the server to end the stream. */
  public void awaitEnd() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    try {
      while (true) {
        String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new AssertionError("stream did not end");
        }
        if (line == END) {
          lines.add(END);
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
