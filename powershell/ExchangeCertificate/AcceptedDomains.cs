// The accepted domains of the core's answers as the objects Exchange's *-AcceptedDomain cmdlets
// return, for New-/Get-AcceptedDomain (NewAcceptedDomainCommand.cs, GetAcceptedDomainCommand.cs).

using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace Excert
{
    public static class AcceptedDomains
    {
        /// <summary>The first type name of an accepted domain's object, as Exchange names it.</summary>
        public const string TypeName = "AcceptedDomain";

        // Exchange's table: Name, DomainName, DomainType, Default (Identity stays for Format-List *).
        private static readonly string[] Shown = { "Name", "DomainName", "DomainType", "Default" };

        /// <summary>
        /// An accepted domain of an answer as a property bag typed AcceptedDomain: Identity (its
        /// Name), Name, DomainName, DomainType and Default, converted as [string] and [bool] do.
        /// </summary>
        public static PSObject ToAcceptedDomain(object domain)
        {
            PSObject source = PSObject.AsPSObject(domain);
            string name = Text(source, "Name");
            var result = new PSObject();
            result.Properties.Add(new PSNoteProperty("Identity", name));
            result.Properties.Add(new PSNoteProperty("Name", name));
            result.Properties.Add(new PSNoteProperty("DomainName", Text(source, "DomainName")));
            result.Properties.Add(new PSNoteProperty("DomainType", Text(source, "DomainType")));
            result.Properties.Add(new PSNoteProperty("Default", LanguagePrimitives.IsTrue(source.Properties["Default"]?.Value)));
            result.TypeNames.Insert(0, TypeName);
            result.Members.Add(new PSMemberSet("PSStandardMembers",
                new PSMemberInfo[] { new PSPropertySet("DefaultDisplayPropertySet", Shown) }));
            return result;
        }

        /// <summary>The answer's AcceptedDomains as @() lists them: none for null, one for a scalar.</summary>
        public static List<object> ListOf(PSObject answer)
        {
            object value = answer?.Properties["AcceptedDomains"]?.Value;
            var items = new List<object>();
            if (value == null) return items;
            IEnumerable many = LanguagePrimitives.GetEnumerable(value);
            if (many == null)
            {
                items.Add(value);
                return items;
            }
            foreach (object item in many) items.Add(item);
            return items;
        }

        /// <summary>A member of an answer's accepted domain as [string] makes it ("" for null).</summary>
        public static string Text(object domain, string name) =>
            LanguagePrimitives.ConvertTo<string>(domain == null ? null : PSObject.AsPSObject(domain).Properties[name]?.Value);
    }
}
