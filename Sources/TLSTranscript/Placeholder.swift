// TLSTranscript
