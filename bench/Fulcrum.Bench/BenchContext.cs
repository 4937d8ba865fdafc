using Fulcrum.Lab;

namespace Fulcrum.Bench;

/// <summary>What every scenario is given: the programs to run in the lab, the report, and how much to measure.</summary>
public sealed record BenchContext(LabPrograms Programs, Report Report, IReadOnlyList<int> Sizes, int Changes, int LargeSize, int LargeChanges, int Trials);
