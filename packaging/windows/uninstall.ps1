# Removes PIA Desk for this user: the program folders below %LOCALAPPDATA%\PIA Desk
# (venv, app, python) and the "PIA Desk" shortcuts. Project files (.piadesk), which live
# wherever the user saved them, are never touched; nor are settings and recovery data,
# which stay in %LOCALAPPDATA%\PIA Desk for a later reinstall.
#
#   uninstall.bat  or  powershell -NoProfile -ExecutionPolicy Bypass -File uninstall.ps1
$ErrorActionPreference = "Stop"
Set-StrictMode -Version 3.0

$AppDir = Join-Path $env:LOCALAPPDATA "PIA Desk"
$ProgramFolders = @("venv", "app", "python")

foreach ($folder in @([Environment]::GetFolderPath("Programs"), [Environment]::GetFolderPath("Desktop"))) {
    $link = Join-Path $folder "PIA Desk.lnk"
    if (Test-Path -LiteralPath $link) {
        Remove-Item -LiteralPath $link -Force
        Write-Host "削除しました: $link"
    }
}
foreach ($name in $ProgramFolders) {
    $path = Join-Path $AppDir $name
    if (Test-Path -LiteralPath $path) {
        try {
            Remove-Item -LiteralPath $path -Recurse -Force
        } catch {
            Write-Host "エラー: $path を削除できません。PIA Desk を終了してから再実行してください。" -ForegroundColor Red
            exit 1
        }
        Write-Host "削除しました: $path"
    }
}
Write-Host "アンインストールが完了しました。プロジェクトファイルと設定（$AppDir）は残しています。" -ForegroundColor Green
exit 0
