package io.holdfast.ebs;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.Ec2ClientBuilder;

/**
 * Builds the {@link Ec2Client} Holdfast uses when the caller does not pass its own: the SDK's
 * standard configuration (region and credentials provider chains, {@code AWS_ENDPOINT_URL_EC2} and
 * {@code AWS_ENDPOINT_URL}), and a retry strategy that rides out EC2's request throttling
 * ({@code RequestLimitExceeded}) with exponential backoff over up to {@value #MAX_ATTEMPTS}
 * attempts. A caller passing its own client should configure retries the same way. The caller
 * closes the client.
 */
public final class Ec2Clients {
  /** Attempts per call, the first included. */
  public static final int MAX_ATTEMPTS = 8;

  private Ec2Clients() {}

  /** A client from the standard configuration. */
  public static Ec2Client standard() {
    return builder(standardRetries()).build();
  }

  /** A client from the standard configuration, talking to {@code endpoint} (a test endpoint, a proxy). */
  public static Ec2Client standard(URI endpoint) {
    return builder(standardRetries()).endpointOverride(endpoint).build();
  }

  private static RetryStrategy standardRetries() {
    return retryStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(20)),
        BackoffStrategy.exponentialDelay(Duration.ofSeconds(1), Duration.ofSeconds(20)));
  }

  /** The standard builder with Holdfast's retry strategy; tests pass backoffs that do not wait. */
  static Ec2ClientBuilder builder(RetryStrategy retries) {
    return Ec2Client.builder().httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(retries));
  }

  static RetryStrategy retryStrategy(BackoffStrategy backoff, BackoffStrategy throttlingBackoff) {
    return AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS)
        .backoffStrategy(backoff).throttlingBackoffStrategy(throttlingBackoff).build();
  }
}
