// A background pump the example's tests ignore.
public sealed class MetricsPump;
