using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Tests.Api;

public sealed class BackendsTests
{
    [Fact]
    public void Normalize_MinimalBackend_DefaultsFilledIn()
    {
        var errors = new ValidationErrors();

        var backend = new BackendRequest("bg-1", null, "2001:DB8:0:0::10", 8080, null, null, null).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(new BackendRequest("bg-1", "", "2001:db8::10", 8080, 1, false, BackendAdminState.Enabled), backend);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(256)]
    public void Normalize_WeightAtBounds_Kept(int weight)
    {
        var errors = new ValidationErrors();

        var backend = new BackendRequest("bg-1", "app-1", "10.0.0.10", 80, weight, true, BackendAdminState.Drain).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(weight, backend.Weight);
        Assert.True(backend.Backup);
        Assert.Equal(BackendAdminState.Drain, backend.AdminState);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(257)]
    public void Normalize_WeightOutOfRange_Rejected(int weight)
    {
        var errors = new ValidationErrors();

        new BackendRequest("bg-1", null, "10.0.0.10", 80, weight, null, null).Normalize(errors);

        Assert.Equal(["weight"], errors.Paths());
    }

    [Theory]
    [InlineData("10.0.0")]
    [InlineData("010.0.0.10")]
    [InlineData("backend.internal")]
    [InlineData("10.0.0.10:80")]
    public void Normalize_AddressNotAStrictIp_Rejected(string address)
    {
        var errors = new ValidationErrors();

        new BackendRequest("bg-1", null, address, 80, null, null, null).Normalize(errors);

        Assert.Equal(["address"], errors.Paths());
    }

    [Fact]
    public void Normalize_EmptyRequest_RequiredFieldsReported()
    {
        var errors = new ValidationErrors();

        new BackendRequest(null, null, null, null, null, null, null).Normalize(errors);

        Assert.Equal(["address", "backendGroupId", "port"], errors.Paths());
    }
}
