// TLSExport
