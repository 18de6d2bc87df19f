using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace CareerRelay.Web.Infrastructure.Web;

/// <summary>Renders a Razor component to an HTML string, so pages can be cached and served as bytes.</summary>
public sealed class PageRenderer(IServiceProvider services, ILoggerFactory loggers)
{
    public async Task<string> RenderAsync<TComponent>(PageParameters<TComponent> parameters) where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(services, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters.Values.ToDictionary()));
            return output.ToHtmlString();
        });
    }

    public static IResult Html(string html, int status = 200) =>
        Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
