package io.holdfast.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class S3RepositoryUrlTest {

  @Test
  void parsesAnHttpEndpointWithPortBucketAndNoPrefix() {
    S3RepositoryUrl url = S3RepositoryUrl.parse("s3:http://127.0.0.1:9000/backups");

    assertThat(url.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
    assertThat(url.bucket()).isEqualTo("backups");
    assertThat(url.prefix()).isEmpty();
    assertThat(url.pathStyle()).isTrue();
    assertThat(url).hasToString("s3:http://127.0.0.1:9000/backups");
  }

  @Test
  void parsesAMultiSegmentPrefixAndDropsStraySlashes() {
    S3RepositoryUrl url = S3RepositoryUrl.parse("s3:https://minio.example:9443/bucket//hosts/calendar/");

    assertThat(url.endpoint()).isEqualTo(URI.create("https://minio.example:9443"));
    assertThat(url.bucket()).isEqualTo("bucket");
    assertThat(url.prefix()).isEqualTo("hosts/calendar");
    assertThat(url).hasToString("s3:https://minio.example:9443/bucket/hosts/calendar");
  }

  @Test
  void theFormWithoutSchemeMeansHttpsAsInRestic() {
    S3RepositoryUrl url = S3RepositoryUrl.parse("s3:s3.eu-west-1.amazonaws.com/my-bucket/restic");

    assertThat(url.endpoint()).isEqualTo(URI.create("https://s3.eu-west-1.amazonaws.com"));
    assertThat(url.bucket()).isEqualTo("my-bucket");
    assertThat(url.prefix()).isEqualTo("restic");
    assertThat(url.pathStyle()).as("Amazon's own endpoints use virtual-host addressing").isFalse();
  }

  @Test
  void anAmazonHostNamesItsRegion() {
    assertThat(S3RepositoryUrl.parse("s3:s3.eu-west-1.amazonaws.com/b").awsRegion()).contains("eu-west-1");
    assertThat(S3RepositoryUrl.parse("s3:https://s3-us-gov-west-1.amazonaws.com/b").awsRegion())
        .contains("us-gov-west-1");
    assertThat(S3RepositoryUrl.parse("s3:s3.amazonaws.com/b").awsRegion()).isEmpty();
    assertThat(S3RepositoryUrl.parse("s3:s3.amazonaws.com/b").isAws()).isTrue();
    assertThat(S3RepositoryUrl.parse("s3:http://127.0.0.1:9000/b").awsRegion()).isEmpty();
    assertThat(S3RepositoryUrl.parse("s3:http://127.0.0.1:9000/b").isAws()).isFalse();
  }

  @Test
  void theSchemeIsCaseInsensitive() {
    assertThat(S3RepositoryUrl.isS3("S3:host/b")).isTrue();
    assertThat(S3RepositoryUrl.parse("S3:HTTP://host/b").endpoint()).isEqualTo(URI.create("http://host"));
    assertThat(S3RepositoryUrl.isS3("/srv/repo")).isFalse();
    assertThat(S3RepositoryUrl.isS3("sftp:host:/repo")).isFalse();
  }

  @Test
  void refusesAUrlWithoutBucket() {
    assertThatThrownBy(() -> S3RepositoryUrl.parse("s3:http://127.0.0.1:9000"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no bucket");
    assertThatThrownBy(() -> S3RepositoryUrl.parse("s3:http://127.0.0.1:9000/"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no bucket");
  }

  @Test
  void refusesOtherSchemesDotSegmentsQueriesAndNonS3Strings() {
    assertThatThrownBy(() -> S3RepositoryUrl.parse("/srv/repo")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> S3RepositoryUrl.parse("s3:ftp://host/bucket")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> S3RepositoryUrl.parse("s3:http://host/bucket/../x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> S3RepositoryUrl.parse("s3:http://host/bucket?x=1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesCredentialsInTheUrlWithoutRepeatingThem() {
    assertThatThrownBy(() -> S3RepositoryUrl.parse("s3:http://AKIDEXAMPLE:wJalrXUtnFEMI@127.0.0.1:9000/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("credentials")
        .hasMessageNotContaining("AKIDEXAMPLE")
        .hasMessageNotContaining("wJalrXUtnFEMI");
  }

  @Test
  void theRecordChecksWhatItIsGiven() {
    assertThatThrownBy(() -> new S3RepositoryUrl(URI.create("http://h/path"), "b", ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new S3RepositoryUrl(URI.create("http://h"), "b", "/p/"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new S3RepositoryUrl(URI.create("http://h:1"), "b", "p/q")).hasToString("s3:http://h:1/b/p/q");
  }
}
