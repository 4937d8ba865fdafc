using Fulcrum.Core.Api;
using Fulcrum.Core.Validation;

namespace Fulcrum.Core.Tests.Api;

public sealed class TokensTests
{
    [Fact]
    public void Normalize_AdminWithoutProject_Accepted()
    {
        var errors = new ValidationErrors();

        var token = new TokenRequest("ci", Role.Admin, null, null).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(new TokenRequest("ci", Role.Admin, null, null), token);
    }

    [Fact]
    public void Normalize_AdminWithProject_ProjectIdRejected()
    {
        var errors = new ValidationErrors();

        new TokenRequest("ci", Role.Admin, "prj-1", null).Normalize(errors);

        Assert.Equal(["projectId"], errors.Paths());
        Assert.Equal(["must be omitted for an admin token: admins see every project."], errors.MessagesAt("projectId"));
    }

    [Theory]
    [InlineData(Role.Member)]
    [InlineData(Role.Viewer)]
    public void Normalize_ProjectRoleWithoutProject_ProjectIdRequired(Role role)
    {
        var errors = new ValidationErrors();

        new TokenRequest("ci", role, null, null).Normalize(errors);

        Assert.Equal(["projectId"], errors.Paths());
        Assert.Equal(["is required."], errors.MessagesAt("projectId"));
    }

    [Theory]
    [InlineData(Role.Member)]
    [InlineData(Role.Viewer)]
    public void Normalize_ProjectRoleWithProject_Kept(Role role)
    {
        var errors = new ValidationErrors();

        var token = new TokenRequest("ci", role, "prj-1", null).Normalize(errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal("prj-1", token.ProjectId);
    }

    [Fact]
    public void Normalize_WithoutRole_OnlyRoleReported()
    {
        var errors = new ValidationErrors();

        new TokenRequest("ci", null, "prj-1", null).Normalize(errors);

        Assert.Equal(["role"], errors.Paths());
    }

    [Fact]
    public void Normalize_ExpiryWithOffset_ConvertedToUtc()
    {
        var errors = new ValidationErrors();
        var expiresAt = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));

        var token = new TokenRequest("ci", Role.Admin, null, expiresAt).Normalize(errors);

        Assert.Equal(new DateTimeOffset(2030, 1, 2, 1, 4, 5, TimeSpan.Zero), token.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, token.ExpiresAt?.Offset);
    }

    [Fact]
    public void Normalize_NameMissing_Required()
    {
        var errors = new ValidationErrors();

        new TokenRequest(null, Role.Admin, null, null).Normalize(errors);

        Assert.Equal(["name"], errors.Paths());
    }
}
