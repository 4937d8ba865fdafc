using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fulcrum.Core.Json;
using Fulcrum.Core.Validation;
using Fulcrum.Server.Persistence;

namespace Fulcrum.Server.Http;

/// <summary>
/// The body of a PUT or a PATCH, read against the resource's current state. Both take back what a GET answered: a
/// read-only field (one of the response that the request does not have: <c>id</c>, <c>createdAt</c>, <c>health</c>
/// …) is ignored when it equals the current value and named in a 400 when it differs. A PATCH is an RFC 7396 JSON
/// merge patch onto the current request form (a <c>null</c> resets a field to its default); without If-Match it is
/// made conditional on the state it was merged onto, so that a change in between is a 412, never lost.
/// </summary>
public sealed class Edit(JsonObject json, bool isPatch) : IBindableFromHttpContext<Edit>
{
    public const string MergePatchType = "application/merge-patch+json";

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "IBindableFromHttpContext requires a static BindAsync.")]
    public static async ValueTask<Edit?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var isPatch = HttpMethods.IsPatch(context.Request.Method);
        var type = context.Request.ContentType?.Split(';')[0].Trim();
        if (isPatch ? !string.Equals(type, MergePatchType, StringComparison.OrdinalIgnoreCase) : !context.Request.HasJsonContentType())
        {
            throw new ProblemException(
                StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"Send the request body as {(isPatch ? MergePatchType : "application/json")}.");
        }

        return new Edit(await JsonBodies.ParseAsync(context), isPatch);
    }

    /// <summary>Reads the current state, builds the request from the body and writes it.</summary>
    public async Task<Versioned<TResponse>> ApplyAsync<TRequest, TResponse>(
        HttpContext http, Func<Task<Versioned<TResponse>>> read, Func<TRequest, Write, Task<Versioned<TResponse>>> update)
        where TRequest : class
    {
        Versioned<TResponse> current;
        try
        {
            current = await read();
        }
        catch (ProblemException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            // The write answers an unknown id itself, before it reads the body, so that the refusal is recorded in the
            // audit log like every other.
            return await update(Body<TRequest>.Read(new JsonObject(), new ValidationErrors()).Value, http.Write(new ValidationErrors()));
        }

        var errors = new ValidationErrors();
        var state = JsonSerializer.SerializeToNode(current.Value, FulcrumJson.Options)!.AsObject();
        var requestFields = FieldsOf(typeof(TRequest));
        var responseFields = FieldsOf(typeof(TResponse));
        foreach (var (name, value) in Fields(json))
        {
            if (!requestFields.Contains(name) && responseFields.Contains(name))
            {
                if (!JsonNode.DeepEquals(value, state[name]))
                {
                    errors.Add(name, "is read-only and differs from the current value; leave it out or send it as read.");
                }

                json.Remove(name);
            }
        }

        var body = json;
        if (isPatch)
        {
            body = new JsonObject();
            foreach (var (name, value) in state.Where(field => requestFields.Contains(field.Key)))
            {
                body[name] = value?.DeepClone();
            }

            Merge(body, json);
        }

        var request = Body<TRequest>.Read(body, errors).Value;
        var write = http.Write(errors);
        return await update(request, isPatch && write.IfMatch is null ? write with { IfMatch = current.ETag } : write);
    }

    private static List<KeyValuePair<string, JsonNode?>> Fields(JsonObject json)
    {
        try
        {
            return json.ToList();
        }
        catch (InvalidOperationException)
        {
            // The parser lets invalid UTF-8 through and fails only when a name is read.
            throw ValidationFailedException.For("body", "holds a field name that is not valid Unicode text.");
        }
    }

    /// <summary>RFC 7396: objects merge field by field, <c>null</c> removes, anything else replaces.</summary>
    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject inner && target[name] is JsonObject existing)
            {
                Merge(existing, inner);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }

    private static HashSet<string> FieldsOf(Type type) =>
        FulcrumJson.Options.GetTypeInfo(type).Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
}
