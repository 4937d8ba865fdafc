using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Tests.Api;

public sealed class AgentTests
{
    [Fact]
    public void Normalize_WithoutName_NamedAfterItsCanonicalAddress()
    {
        var errors = new ValidationErrors();

        var join = new AgentJoinRequest("secret", null, "2001:DB8:0:0::7", "eth0", null, null).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal("2001:db8::7", join.Name);
        Assert.Equal("2001:db8::7", join.Address);
        Assert.Null(join.Priority);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(255)]
    public void Normalize_ReservedPriority_Rejected(int priority)
    {
        var errors = new ValidationErrors();

        new AgentJoinRequest("secret", "lb-a", "10.0.0.7", "eth0", priority, null).Normalize(errors);

        Assert.Equal(["priority"], errors.Paths());
    }

    [Theory]
    [InlineData("")]
    [InlineData("eth0:1")]
    [InlineData("eth 0")]
    [InlineData("../../etc")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a-very-long-iface")]
    public void Normalize_BadInterfaceName_Rejected(string name)
    {
        var errors = new ValidationErrors();

        new AgentJoinRequest("secret", "lb-a", "10.0.0.7", name, null, null).Normalize(errors);

        Assert.Equal(["interface"], errors.Paths());
    }

    [Theory]
    [InlineData("eth0")]
    [InlineData("ens3.100")]
    [InlineData("br-lan_0")]
    [InlineData("abcdefghijklmno")]
    public void Normalize_LinuxInterfaceName_Accepted(string name)
    {
        var errors = new ValidationErrors();

        var join = new AgentJoinRequest("secret", "lb-a", "10.0.0.7", name, 100, null).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(name, join.Interface);
    }

    [Fact]
    public void Normalize_EmptyRequest_RequiredFieldsReported()
    {
        var errors = new ValidationErrors();

        new AgentJoinRequest(null, null, null, null, null, null).Normalize(errors);

        Assert.Equal(["address", "interface", "token"], errors.Paths());
    }
}
