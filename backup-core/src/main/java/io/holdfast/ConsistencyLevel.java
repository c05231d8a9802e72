package io.holdfast;

/** How consistent a dataset's copy is with the application and with the plan's other datasets. */
public enum ConsistencyLevel {
  /** The application was held (by its gate) while the dataset was frozen or read. */
  APPLICATION,
  /** An instant snapshot without a gate: as after a power cut. */
  CRASH,
  /** Read live without a gate: files may come from different moments. */
  NONE
}
