using System.Runtime.CompilerServices;

// The validator-key tests (and the scrypt benchmark) reach the scrypt core and the double-sign guard's crash hook, which are not public API.
[assembly: InternalsVisibleTo("Cere.Chain.Tests")]
[assembly: InternalsVisibleTo("Cere.Benchmarks")]
