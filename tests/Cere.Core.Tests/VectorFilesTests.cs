using Cere.Tests.Shared;

namespace Cere.Core.Tests;

/// <summary>The fixture locator finds the shared vectors from the test binary.</summary>
public class VectorFilesTests
{
    [Test]
    public void FindsTheTransactionFixtures()
    {
        Assert.That(VectorFiles.Enumerate("transactions").Count(), Is.EqualTo(210));
    }
}
