# bench/binary-module.ps1: the module's exported functions as the cmdlets of a binary module,
# for bench/module-start's +binary step (docs/performance.md, "Module start").
#
#   pwsh -File bench/binary-module.ps1 MODULE OUT
#
# Reads MODULE's exported functions (the .psm1 and Public/*.ps1, parsed, as the +surface step
# does) and writes into OUT:
#   Cmdlets.cs                          one cmdlet class per function, with the same parameters
#                                       (names, types, sets, Parameter/Alias/validation attributes,
#                                       defaults), CmdletBinding and OutputType; empty bodies
#   ExchangeCertificate.Cmdlets.dll     Cmdlets.cs and the module's C# shim (*.cs, whose types the
#                                       parameters use) compiled together, optimized
#   ExchangeCertificate.Cmdlets.dll-Help.xml   MAML help made from the functions' comment help
# then checks that every cmdlet's metadata (CommandMetadata: sets, positions, pipeline input,
# aliases, attributes, ShouldProcess, ConfirmImpact, default set; and OutputType) equals its
# function's, and fails naming the first difference. Nothing here is copied by hand: a parameter
# added to a function appears in its cmdlet on the next run.
param([Parameter(Mandatory)] [string] $Module, [Parameter(Mandatory)] [string] $Out)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$assemblyName = 'ExchangeCertificate.Cmdlets'
$names = (Import-PowerShellDataFile ([IO.Path]::Combine($Module, 'ExchangeCertificate.psd1'))).FunctionsToExport
$files = @([IO.Path]::Combine($Module, 'ExchangeCertificate.psm1'))
$public = [IO.Path]::Combine($Module, 'Public')
if ([IO.Directory]::Exists($public)) { $files += [IO.Directory]::GetFiles($public, '*.ps1') }
$functions = foreach ($file in $files) {
    $ast = [Management.Automation.Language.Parser]::ParseFile($file, [ref]$null, [ref]$null)
    $ast.FindAll({ param($a) $a -is [Management.Automation.Language.FunctionDefinitionAst] }, $false) |
        Where-Object Name -In $names
}
if (@($functions).Count -ne @($names).Count) { throw "found $(@($functions).Count) of the $(@($names).Count) exported functions in $Module" }

function ConvertTo-CSharpString([string] $Text) {
    '"' + $Text.Replace('\', '\\').Replace('"', '\"').Replace("`r", '\r').Replace("`n", '\n').Replace("`t", '\t') + '"'
}

function Get-CSharpTypeName([Management.Automation.Language.ITypeName] $TypeName) {
    # A type PowerShell resolves (accelerators included) by its full name; one it does not (the
    # shim's, compiled alongside) as written.
    $type = $TypeName.GetReflectionType()
    if (-not $type) { return $TypeName.FullName }
    $element = $type; $suffix = ''
    while ($element.IsArray) { $suffix += '[]'; $element = $element.GetElementType() }
    if ($element -eq [void]) { return 'void' }
    'global::' + $element.FullName.Replace('+', '.') + $suffix
}

# An attribute argument as a C# expression; $Target: the .NET type it is given to, when known.
function ConvertTo-CSharpValue($Expression, [type] $Target) {
    $A = [Management.Automation.Language.Ast]
    if ($Target -and $Target.IsArray -and $Expression -isnot [Management.Automation.Language.ArrayLiteralAst]) {
        return "new $(Get-CSharpTypeName ([Management.Automation.Language.TypeName]::new($Expression.Extent, $Target.GetElementType().FullName)))[] { $(ConvertTo-CSharpValue $Expression $Target.GetElementType()) }"
    }
    switch ($Expression) {
        { $_ -is [Management.Automation.Language.StringConstantExpressionAst] } {
            if ($Target -and $Target.IsEnum) { return "global::$($Target.FullName).$($_.Value)" }
            return ConvertTo-CSharpString $_.Value
        }
        { $_ -is [Management.Automation.Language.ConstantExpressionAst] } {
            if ($Target -eq [string]) { return ConvertTo-CSharpString ([string]$_.Value) }
            if ($_.Value -is [int] -or $_.Value -is [long]) { return [string]$_.Value }
            if ($_.Value -is [double]) { return $_.Value.ToString('R', [cultureinfo]::InvariantCulture) + 'd' }
        }
        { $_ -is [Management.Automation.Language.VariableExpressionAst] } {
            switch ($_.VariablePath.UserPath) { 'true' { return 'true' } 'false' { return 'false' } 'null' { return 'null' } }
        }
        { $_ -is [Management.Automation.Language.TypeExpressionAst] } { return "typeof($(Get-CSharpTypeName $_.TypeName))" }
        { $_ -is [Management.Automation.Language.MemberExpressionAst] -and $_.Static -and $_.Member -is [Management.Automation.Language.StringConstantExpressionAst] } {
            return "$(Get-CSharpTypeName $_.Expression.TypeName).$($_.Member.Value)"
        }
        { $_ -is [Management.Automation.Language.ArrayLiteralAst] } {
            return ($_.Elements | ForEach-Object { ConvertTo-CSharpValue $_ $(if ($Target) { $Target.GetElementType() }) }) -join ', '
        }
    }
    throw "bench: cannot write '$($Expression.Extent.Text)' (line $($Expression.Extent.StartLineNumber) of $($Expression.Extent.File)) in C#"
}

# [Name(positional..., Named = value...)] in C#; $Extra: named arguments to add.
function ConvertTo-CSharpAttribute([Management.Automation.Language.AttributeAst] $Attribute, [string] $Name, [string[]] $Extra) {
    $type = $Attribute.TypeName.GetReflectionAttributeType()
    if (-not $Name) { $Name = if ($type) { 'global::' + $type.FullName } else { $Attribute.TypeName.FullName } }
    # Attributes whose constructors for these arguments take only strings (ValidateSet, Alias)
    # get PowerShell's conversion of numbers to text.
    $count = $Attribute.PositionalArguments.Count
    $fitting = if ($type) {
        $type.GetConstructors() | Where-Object {
            $p = $_.GetParameters()
            $p.Count -eq $count -or ($p.Count -and $p[-1].IsDefined([ParamArrayAttribute], $false) -and $count -ge $p.Count - 1)
        }
    }
    $stringsOnly = $fitting -and -not ($fitting | ForEach-Object { $_.GetParameters() } |
            Where-Object { $_.ParameterType -ne [string] -and $_.ParameterType -ne [string[]] })
    $arguments = @(foreach ($positional in $Attribute.PositionalArguments) {
        ConvertTo-CSharpValue $positional $(if ($stringsOnly) { [string] })
    })
    foreach ($named in $Attribute.NamedArguments) {
        $property = if ($type) { $type.GetProperty($named.ArgumentName) }
        $value = if ($named.ExpressionOmitted) { 'true' } else { ConvertTo-CSharpValue $named.Argument $(if ($property) { $property.PropertyType }) }
        $arguments += "$($named.ArgumentName) = $value"
    }
    if ($Extra) { $arguments += $Extra }
    "[$Name($($arguments -join ', '))]"
}

$code = [Text.StringBuilder]::new()
$null = $code.AppendLine('// Generated by bench/binary-module.ps1 from the module''s functions: do not edit.')
$null = $code.AppendLine('namespace Excert.Cmdlets {')
foreach ($function in $functions) {
    $verb, $noun = $function.Name -split '-', 2
    $block = $function.Body.ParamBlock
    $cmdletArguments = @()
    $positionalBinding = $true
    $classAttributes = foreach ($attribute in $block.Attributes) {
        $type = $attribute.TypeName.GetReflectionAttributeType()
        if ($type -eq [CmdletBinding]) {
            foreach ($named in $attribute.NamedArguments) {
                $value = if ($named.ExpressionOmitted) { 'true' } else { ConvertTo-CSharpValue $named.Argument ([System.Management.Automation.CmdletAttribute].GetProperty($named.ArgumentName).PropertyType) }
                if ($named.ArgumentName -eq 'PositionalBinding') { $positionalBinding = $value -eq 'true'; continue }
                $cmdletArguments += "$($named.ArgumentName) = $value"
            }
        } else {
            ConvertTo-CSharpAttribute $attribute
        }
    }
    $null = $code.AppendLine("    [global::System.Management.Automation.Cmdlet($(ConvertTo-CSharpString $verb), $(ConvertTo-CSharpString $noun)$(@($cmdletArguments | ForEach-Object { ", $_" }) -join ''))]")
    foreach ($attribute in $classAttributes) { $null = $code.AppendLine("    $attribute") }
    $null = $code.AppendLine("    public sealed class $($verb)$($noun)Command : global::System.Management.Automation.PSCmdlet {")
    # As in an advanced function: with PositionalBinding (the default) and no Position or
    # ParameterSetName given, the parameters that are not switches take positions in the order
    # they are declared.
    $parameterAttributes = { param($p) $p.Attributes | Where-Object { $_ -is [Management.Automation.Language.AttributeAst] -and $_.TypeName.GetReflectionAttributeType() -eq [Parameter] } }
    $explicit = $block.Parameters | Where-Object {
        & $parameterAttributes $_ | Where-Object { $_.NamedArguments.ArgumentName -contains 'Position' -or $_.NamedArguments.ArgumentName -contains 'ParameterSetName' }
    }
    $position = 0
    foreach ($parameter in $block.Parameters) {
        $constraint = $parameter.Attributes | Where-Object { $_ -is [Management.Automation.Language.TypeConstraintAst] } | Select-Object -Last 1
        $typeName = if ($constraint) { Get-CSharpTypeName $constraint.TypeName } else { 'object' }
        $extra = @()
        if ($positionalBinding -and -not $explicit -and $typeName -ne 'global::System.Management.Automation.SwitchParameter') {
            $extra = "Position = $position"; $position++
        }
        $lines = @(foreach ($attribute in $parameter.Attributes) {
            if ($attribute -isnot [Management.Automation.Language.AttributeAst]) { continue }
            if ($attribute.TypeName.GetReflectionAttributeType() -eq [Parameter]) {
                ConvertTo-CSharpAttribute $attribute -Extra $extra
            } else {
                ConvertTo-CSharpAttribute $attribute
            }
        })
        if (-not (& $parameterAttributes $parameter)) {
            $lines = @("[global::System.Management.Automation.Parameter($($extra -join ', '))]") + $lines
        }
        $default = if ($parameter.DefaultValue) { " = $(ConvertTo-CSharpValue $parameter.DefaultValue $(if ($constraint) { $constraint.TypeName.GetReflectionType() }));" }
        foreach ($line in $lines) { $null = $code.AppendLine("        $line") }
        $null = $code.AppendLine("        public $typeName $($parameter.Name.VariablePath.UserPath) { get; set; }$default")
    }
    $null = $code.AppendLine('        protected override void ProcessRecord() { }')
    $null = $code.AppendLine('    }')
}
$null = $code.AppendLine('}')
$null = [IO.Directory]::CreateDirectory($Out)
$source = [IO.Path]::Combine($Out, 'Cmdlets.cs')
[IO.File]::WriteAllText($source, $code.ToString())

# Compiled with the shim's sources (-unsafe: its native calls use function pointers): a binary
# module would be one assembly, and the parameters use the shim's types (Excert.AllowedServices,
# Excert.FileDataTransformation).
$shim = [IO.Directory]::GetFiles($Module, '*.cs')
[Array]::Sort($shim, [StringComparer]::Ordinal)
$assembly = [IO.Path]::Combine($Out, "$assemblyName.dll")
Add-Type -LiteralPath (@($source) + $shim) -OutputAssembly $assembly -OutputType Library -CompilerOptions '-optimize+', '-unsafe'

# MAML help, where a binary module's help lives (<assembly>.dll-Help.xml beside it, or in a
# culture folder): made from the comment help, so the floor's folder holds what a port ships.
$settings = [Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [Text.UTF8Encoding]::new($false) }
$xml = [Xml.XmlWriter]::Create([IO.Path]::Combine($Out, "$assemblyName.dll-Help.xml"), $settings)
$maml = 'http://schemas.microsoft.com/maml/2004/10'
$command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
function Write-Para([string] $Text) {
    foreach ($para in ($Text.Trim() -split '\r?\n\s*\r?\n')) { $xml.WriteElementString('para', $maml, $para.Trim()) }
}
$xml.WriteStartElement('helpItems', 'http://msh')
$xml.WriteAttributeString('schema', 'maml')
foreach ($function in $functions) {
    $help = $function.GetHelpContent()
    $verb, $noun = $function.Name -split '-', 2
    $xml.WriteStartElement('command', 'command', $command)
    $xml.WriteAttributeString('xmlns', 'maml', $null, $maml)
    $xml.WriteAttributeString('xmlns', 'dev', $null, $dev)
    $xml.WriteStartElement('details', $command)
    $xml.WriteElementString('name', $command, $function.Name)
    $xml.WriteStartElement('description', $maml); Write-Para $help.Synopsis; $xml.WriteEndElement()
    $xml.WriteElementString('verb', $command, $verb)
    $xml.WriteElementString('noun', $command, $noun)
    $xml.WriteEndElement()
    $xml.WriteStartElement('description', $maml); Write-Para $help.Description; $xml.WriteEndElement()
    $xml.WriteStartElement('parameters', $command)
    foreach ($parameter in $function.Body.ParamBlock.Parameters) {
        $name = $parameter.Name.VariablePath.UserPath
        $xml.WriteStartElement('parameter', $command)
        $xml.WriteElementString('name', $maml, $name)
        $xml.WriteStartElement('description', $maml)
        if ($help.Parameters.ContainsKey($name.ToUpperInvariant())) { Write-Para $help.Parameters[$name.ToUpperInvariant()] }
        $xml.WriteEndElement()
        $xml.WriteEndElement()
    }
    $xml.WriteEndElement()
    $xml.WriteStartElement('examples', $command)
    $number = 0
    foreach ($example in $help.Examples) {
        $number++
        $example, $remarks = $example.Trim() -split '\r?\n\s*\r?\n', 2
        $xml.WriteStartElement('example', $command)
        $xml.WriteElementString('title', $maml, "-------------------------- EXAMPLE $number --------------------------")
        $xml.WriteElementString('code', $dev, $example.Trim())
        $xml.WriteStartElement('remarks', $dev); if ($remarks) { Write-Para $remarks }; $xml.WriteEndElement()
        $xml.WriteEndElement()
    }
    $xml.WriteEndElement()
    $xml.WriteEndElement()
}
$xml.WriteEndElement()
$xml.Dispose()

# The check: each cmdlet's metadata as its function's. The functions are declared with empty
# bodies in a module of their own; the cmdlets come from the compiled assembly (which also
# brings the shim's types the functions' parameters name).
function Get-Surface($Info) {
    $metadata = [Management.Automation.CommandMetadata]::new($Info)
    $lines = @("ShouldProcess=$($metadata.SupportsShouldProcess) ConfirmImpact=$($metadata.ConfirmImpact) Default=$($metadata.DefaultParameterSetName)")
    $lines += 'OutputType=' + (($Info.OutputType | ForEach-Object Name) -join ',')
    foreach ($parameter in $metadata.Parameters.Values | Sort-Object Name) {
        $lines += "$($parameter.Name) [$($parameter.ParameterType.FullName)] aliases=$($parameter.Aliases -join ',')"
        foreach ($set in $parameter.ParameterSets.GetEnumerator() | Sort-Object Key) {
            $p = $set.Value
            $lines += "  set $($set.Key): mandatory=$($p.IsMandatory) position=$($p.Position) pipeline=$($p.ValueFromPipeline) byName=$($p.ValueFromPipelineByPropertyName) remaining=$($p.ValueFromRemainingArguments) help=$($p.HelpMessage)"
        }
        # In name order: .NET does not promise a member's attributes in their declared order.
        $lines += @(foreach ($attribute in $parameter.Attributes | Where-Object { $_ -isnot [Parameter] -and $_.GetType().Name -ne 'ArgumentTypeConverterAttribute' }) {
            $values = foreach ($property in $attribute.GetType().GetProperties() | Where-Object Name -NE 'TypeId' | Sort-Object Name) {
                "$($property.Name)=$(@($property.GetValue($attribute)) -join '|')"
            }
            "  $($attribute.GetType().FullName) $($values -join ' ')"
        }) | Sort-Object
    }
    $lines
}
$binary = Import-Module $assembly -PassThru
$declared = ($functions | ForEach-Object {
    $end = $_.Body.ParamBlock.Extent.EndOffset - $_.Extent.StartOffset
    $_.Extent.Text.Substring(0, $end) + "`n}`n"
}) -join "`n"
$script = New-Module -Name SurfaceFloor -ScriptBlock ([scriptblock]::Create($declared))
foreach ($function in $functions) {
    $verb, $noun = $function.Name -split '-', 2
    $want = Get-Surface $script.ExportedFunctions[$function.Name]
    $got = Get-Surface $binary.ExportedCmdlets[$function.Name]
    $difference = Compare-Object $want $got -SyncWindow 0 | Select-Object -First 2
    if ($difference) {
        throw "bench: the cmdlet $($function.Name) differs from the function: $(($difference | ForEach-Object { "$($_.SideIndicator) $($_.InputObject)" }) -join ' / ')"
    }
}
