package io.holdfast.cli;

import io.holdfast.ebs.Ec2Clients;
import io.holdfast.HoldfastException;
import java.net.URI;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * How the EBS commands reach EC2: the AWS SDK's standard configuration (region, credentials,
 * {@code AWS_ENDPOINT_URL_EC2} / {@code AWS_ENDPOINT_URL}), or {@code --ec2-endpoint}.
 */
final class Ec2Options {
  @Option(names = "--ec2-endpoint", paramLabel = "URL",
      description = "EC2 endpoint to use instead of the standard one (also: $AWS_ENDPOINT_URL_EC2).")
  URI endpoint;

  /** A new client; the caller closes it. */
  Ec2Client client() {
    try {
      return endpoint == null ? Ec2Clients.standard() : Ec2Clients.standard(endpoint);
    } catch (SdkClientException e) {
      throw new HoldfastException("cannot set up the EC2 client: " + e.getMessage()
          + " (set AWS_REGION, or a region in ~/.aws/config)", e);
    }
  }
}
