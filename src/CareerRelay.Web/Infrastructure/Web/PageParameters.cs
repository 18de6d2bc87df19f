using System.Linq.Expressions;
using Microsoft.AspNetCore.Components;

namespace CareerRelay.Web.Infrastructure.Web;

/// <summary>
/// A page component's parameters, checked by the compiler: <c>.With(p => p.Items, items)</c> names a real property of the page
/// and the value must fit its type, so renaming a parameter or passing the wrong thing fails the build instead of a page.
/// </summary>
public sealed class PageParameters<TPage> where TPage : IComponent
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    public PageParameters<TPage> With<TValue>(Expression<Func<TPage, TValue>> parameter, TValue value)
    {
        var member = parameter.Body as MemberExpression
            ?? throw new ArgumentException("Name a parameter of the page, like p => p.Items.", nameof(parameter));
        _values[member.Member.Name] = value;
        return this;
    }

    /// <summary>A parameter every page of an area has (its frame), set by the area's renderer, which cannot name it through TPage.</summary>
    internal PageParameters<TPage> WithShared(string name, object? value)
    {
        _values[name] = value;
        return this;
    }

    internal IReadOnlyDictionary<string, object?> Values => _values;
}

public static class PageParameters
{
    public static PageParameters<TPage> For<TPage>() where TPage : IComponent => new();
}
