using Xunit;

// libtorch's default random generator is process-wide: a test that builds a model while another test class draws
// from it in parallel gets different initial weights, so the determinism tests (resume, data-parallel equivalence)
// only hold when the classes of this assembly run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
