namespace CareerRelay.Web.Infrastructure.Localization;

/// <summary>
/// Declares the text keys composed from a set of values, e.g. <c>[TextKeys("Stage.{0}")]</c> on the class whose constants are the
/// stages, or on a static array of them. Every composed key the code asks for (<c>Texts.Get($"Stage.{stage}", …)</c>) must have its
/// pattern declared this way, and a test checks Texts.resx and Texts.en.resx hold the key for every value — so adding a stage
/// without its words fails the build's tests instead of a person's page.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = true)]
public sealed class TextKeysAttribute(string pattern) : Attribute
{
    /// <summary>The key with <c>{0}</c> where the value goes.</summary>
    public string Pattern { get; } = pattern;
}
