using System.Runtime.CompilerServices;

// The validator-key tests reach the scrypt core and the double-sign guard's crash hook, which are not public API.
[assembly: InternalsVisibleTo("Cere.Chain.Tests")]
