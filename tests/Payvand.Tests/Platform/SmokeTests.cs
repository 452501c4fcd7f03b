namespace Payvand.Tests.Platform;

public class SmokeTests
{
    [Fact]
    public void Web_assembly_loads() => Assert.Equal("Payvand.Web", typeof(Program).Assembly.GetName().Name);
}
