package io.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.VerifyPlan.DataCheck;
import io.holdfast.storage.InMemoryBlobStore;
import org.junit.jupiter.api.Test;

class VerifyPlanTest {
  @Test
  void dataSubsetsParseInResticNotation() {
    assertThat(DataCheck.parse("1/5")).isEqualTo(DataCheck.group(1, 5));
    assertThat(DataCheck.parse("5/5").toString()).isEqualTo("5/5");
    assertThat(DataCheck.parse("10%")).isEqualTo(DataCheck.percent(10));
    assertThat(DataCheck.parse("10%").toString()).isEqualTo("10%");
    assertThat(DataCheck.parse("2.5%").toString()).isEqualTo("2.5%");
    assertThat(DataCheck.parse("100%")).isEqualTo(DataCheck.all());
    assertThat(DataCheck.all().toString()).isEqualTo("all");
    assertThat(DataCheck.none().toString()).isEqualTo("none");
    assertThat(DataCheck.none().readsData()).isFalse();
  }

  @Test
  void invalidDataSubsetsAreRefusedWithTheFormsAccepted() {
    for (String bad : new String[] {"0/5", "6/5", "1/0", "1/257", "0%", "101%", "x", "1/", "/2", "%"}) {
      assertThatThrownBy(() -> DataCheck.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> DataCheck.parse("abc")).hasMessageContaining("n/m").hasMessageContaining("10%");
  }

  @Test
  void aPlanDefaultsToStructureOnlyAndKeepsItsSettingsThroughToBuilder() {
    Repository repo = Repository.on(new InMemoryBlobStore(), "pw"::toCharArray);
    VerifyPlan plan = VerifyPlan.builder(repo).build();
    assertThat(plan.readData()).isEqualTo(DataCheck.none());
    assertThat(plan.seed()).isEmpty();
    VerifyPlan changed = plan.toBuilder().readData(DataCheck.group(2, 3)).parallelism(3).seed(9).build();
    VerifyPlan copy = changed.toBuilder().build();
    assertThat(copy.readData()).isEqualTo(DataCheck.group(2, 3));
    assertThat(copy.parallelism()).isEqualTo(3);
    assertThat(copy.seed()).hasValue(9);
    assertThat(copy.repository()).isSameAs(repo);
    assertThatThrownBy(() -> plan.toBuilder().parallelism(0).build()).isInstanceOf(IllegalArgumentException.class);
  }
}
