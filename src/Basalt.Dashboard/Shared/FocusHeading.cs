using Basalt.Dashboard.Services;
using Microsoft.AspNetCore.Components;

namespace Basalt.Dashboard.Shared;

/// <summary>
/// Moves the focus to the page's heading when the router shows another page, as the framework's FocusOnNavigate does,
/// but through [JSImport]: FocusOnNavigate calls IJSRuntime, whose JSON serializer the first load would then set up
/// before the browser could paint the sign-in form.
/// </summary>
public sealed class FocusHeading : ComponentBase
{
    private Type? _page;
    private bool _focus;

    [Parameter, EditorRequired] public RouteData? RouteData { get; set; }

    [Parameter] public string Selector { get; set; } = "h1";

    protected override void OnParametersSet()
    {
        if (RouteData?.PageType != _page)
        {
            _page = RouteData?.PageType;
            _focus = true;
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (_focus)
        {
            _focus = false;
            Browser.Focus(Selector);
        }
    }
}
